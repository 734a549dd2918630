using System.Collections.Concurrent;

namespace Wschat.RawAdapter.Transport;

/// <summary>
/// Puts raw sockets' queued frames on the wire. A socket with frames waiting lines up once; the
/// pump writes the sockets in line one at a time, in order, each with everything it has queued.
/// While a round goes on, frames for the sockets further back keep collecting, so the busier the
/// node, the more frames each write carries, without a timer and without a thread-pool item per
/// socket.
/// </summary>
internal sealed class OutboundPump : IThreadPoolWorkItem
{
    private readonly ConcurrentQueue<OutboundQueue> _ready = new();
    private int _running;

    public void Schedule(OutboundQueue queue)
    {
        _ready.Enqueue(queue);
        if (Interlocked.Exchange(ref _running, 1) == 0)
        {
            ThreadPool.UnsafeQueueUserWorkItem(this, preferLocal: false);
        }
    }

    public void Execute()
    {
        while (true)
        {
            while (_ready.TryDequeue(out var queue))
            {
                queue.Send();
            }

            Volatile.Write(ref _running, 0);

            // A socket that lined up after the last dequeue but saw the pump still running is served here.
            if (_ready.IsEmpty || Interlocked.Exchange(ref _running, 1) == 1)
            {
                return;
            }
        }
    }
}

/// <summary>The node's pumps for one raw endpoint, one per core; each socket keeps to one.</summary>
internal sealed class OutboundPumps
{
    private readonly OutboundPump[] _pumps = [.. Enumerable.Range(0, Environment.ProcessorCount).Select(static _ => new OutboundPump())];
    private int _next;

    public OutboundPump Next() => _pumps[(int)((uint)Interlocked.Increment(ref _next) % (uint)_pumps.Length)];
}
