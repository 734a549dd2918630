using System.Collections.Concurrent;
using System.Diagnostics;
using System.Diagnostics.CodeAnalysis;

namespace Wschat.Outbound;

/// <summary>
/// Puts connections' queued messages on the wire. A queue with messages waiting lines up once; the
/// pump writes the queues in line one at a time, in order, each with everything it has queued.
/// While a round goes on, messages for the connections further back keep collecting, so the busier
/// the node, the more each write carries, without a thread-pool item per connection.
/// </summary>
/// <remarks>
/// A round starts at most once per <see cref="RoundInterval"/>. Without that floor the pump can
/// trail a broadcast socket by socket and write each frame on its own (a syscall per frame), the
/// slowest way there is; with it, a burst's frames for one socket leave together. Idle, a message
/// waits at most one interval.
/// </remarks>
[SuppressMessage("Design", "CA1001", Justification = "A pump lives as long as its endpoint, that is the process; its timer holds no unmanaged resource.")]
internal sealed class OutboundPump : IThreadPoolWorkItem
{
    private static readonly long RoundInterval = Stopwatch.Frequency / 1000;

    private readonly ConcurrentQueue<OutboundQueue> _ready = new();
    private readonly Timer _delayedRound;
    private long _lastRoundStart;
    private int _running;

    public OutboundPump()
    {
        _delayedRound = new Timer(static pump => ((OutboundPump)pump!).Execute(), this, Timeout.Infinite, Timeout.Infinite);
    }

    public void Schedule(OutboundQueue queue)
    {
        _ready.Enqueue(queue);
        if (Interlocked.Exchange(ref _running, 1) == 0)
        {
            StartRound();
        }
    }

    public void Execute()
    {
        Volatile.Write(ref _lastRoundStart, Stopwatch.GetTimestamp());
        while (_ready.TryDequeue(out var queue))
        {
            queue.Send();
        }

        Volatile.Write(ref _running, 0);

        // A queue that lined up after the last dequeue but saw the pump still running gets the next round.
        if (!_ready.IsEmpty && Interlocked.Exchange(ref _running, 1) == 0)
        {
            StartRound();
        }
    }

    private void StartRound()
    {
        var wait = Volatile.Read(ref _lastRoundStart) + RoundInterval - Stopwatch.GetTimestamp();
        if (wait > 0)
        {
            _delayedRound.Change(TimeSpan.FromTicks(Math.Max(1, wait * TimeSpan.TicksPerSecond / Stopwatch.Frequency)), Timeout.InfiniteTimeSpan);
        }
        else
        {
            ThreadPool.UnsafeQueueUserWorkItem(this, preferLocal: false);
        }
    }
}

/// <summary>
/// The node's pumps, shared by every connection; each connection's queue keeps to one. A pump per four cores: the
/// rest run the broadcasts and Kestrel's socket I/O (measured on 2 cores: one pump writes 2-4x
/// more deliveries per second than one per core, which trail the broadcast).
/// </summary>
internal sealed class OutboundPumps
{
    private readonly OutboundPump[] _pumps;
    private int _next;

    public OutboundPumps()
        : this([.. Enumerable.Range(0, Math.Max(1, Environment.ProcessorCount / 4)).Select(static _ => new OutboundPump())])
    {
    }

    /// <summary>These pumps only: tests and benchmarks run a round by hand.</summary>
    internal OutboundPumps(params OutboundPump[] pumps) => _pumps = pumps;

    public OutboundPump Next() => _pumps[(int)((uint)Interlocked.Increment(ref _next) % (uint)_pumps.Length)];
}
