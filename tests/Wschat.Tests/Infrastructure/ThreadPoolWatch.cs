using System.Diagnostics;

namespace Wschat.Tests.Infrastructure;

/// <summary>
/// Ticks on the thread pool every 100 ms while it lives: a long gap between ticks is a starved pool. For a
/// failing test's message, when the test process hosts the server too.
/// </summary>
internal sealed class ThreadPoolWatch : IDisposable
{
    private readonly Timer _timer;
    private long _last = Stopwatch.GetTimestamp();
    private long _longestGap;
    private long _mostWaiting;

    public ThreadPoolWatch() => _timer = new Timer(_ => Tick(), null, 100, 100);

    public override string ToString() =>
        $"longest gap between 100 ms ticks {Stopwatch.GetElapsedTime(0, Interlocked.Read(ref _longestGap)).TotalMilliseconds:F0} ms, " +
        $"at most {Interlocked.Read(ref _mostWaiting)} items waiting, now {ThreadPool.ThreadCount} threads";

    public void Dispose() => _timer.Dispose();

    private void Tick()
    {
        var now = Stopwatch.GetTimestamp();
        var gap = now - Interlocked.Exchange(ref _last, now);
        InterlockedMax(ref _longestGap, gap);
        InterlockedMax(ref _mostWaiting, ThreadPool.PendingWorkItemCount);
    }

    private static void InterlockedMax(ref long location, long value)
    {
        for (var seen = Interlocked.Read(ref location); value > seen; seen = Interlocked.Read(ref location))
        {
            Interlocked.CompareExchange(ref location, value, seen);
        }
    }
}
