namespace Wschat.Hub.Identity;

/// <summary>
/// One node's uids from the clock: milliseconds since the Unix epoch times 1000, plus a counter.
/// A restart starts above every uid of the previous run unless that run handed out more than
/// 1,000 uids per millisecond on average. Values stay below 2^53 until the year 2255.
/// </summary>
internal sealed class ClockUidAllocator(TimeProvider time) : IUidAllocator
{
    private const long PerMillisecond = 1000;
    private long _last;

    public long Allocate()
    {
        var floor = time.GetUtcNow().ToUnixTimeMilliseconds() * PerMillisecond;
        while (true)
        {
            var last = Volatile.Read(ref _last);
            var next = Math.Max(last + 1, floor);
            if (Interlocked.CompareExchange(ref _last, next, last) == last)
            {
                return next;
            }
        }
    }
}
