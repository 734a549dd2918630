using System.Buffers;
using System.Threading.Tasks.Sources;

namespace Wschat.RawAdapter.Transport;

/// <summary>
/// The frames waiting for one socket. Writers (the hub, on any thread) add finished frames by
/// reference: a broadcast's bytes are shared by every recipient, never copied per socket. The
/// socket's single send loop takes everything queued at once and puts it on the wire with one
/// write, so a busy room's frames coalesce. A client that stops reading cannot make the queue grow
/// without bound: past the limit it closes and reports the overflow.
/// </summary>
internal sealed class OutboundQueue : IValueTaskSource<bool>
{
    private const int InitialSlots = 4;

    // A queue that grew past this (a burst) gives its slots back once drained, keeping idle connections small.
    private const int RetainedSlots = 64;

    private readonly Lock _lock = new();
    private readonly int _limit;
    private readonly Action _overflowed;
    private ManualResetValueTaskSourceCore<bool> _ready = new() { RunContinuationsAsynchronously = true };
    private ReadOnlyMemory<byte>[]? _frames;
    private int _count;
    private int _bytes;
    private bool _closed;
    private bool _readerWaiting;

    public OutboundQueue(int limit, Action overflowed)
    {
        _limit = limit;
        _overflowed = overflowed;
    }

    /// <summary>Set once the queue was closed because its reader fell more than the limit behind.</summary>
    public bool HasOverflowed { get; private set; }

    public bool IsClosed
    {
        get
        {
            lock (_lock)
            {
                return _closed;
            }
        }
    }

    /// <summary>
    /// Queues whole frames, by reference: the caller never changes <paramref name="frames"/> afterwards.
    /// False (and nothing kept) once the queue is closed.
    /// </summary>
    public bool TryEnqueue(ReadOnlyMemory<byte> frames)
    {
        bool overflow;
        bool wake;
        lock (_lock)
        {
            if (_closed)
            {
                return false;
            }

            overflow = _bytes + frames.Length > _limit;
            if (overflow)
            {
                HasOverflowed = true;
                _closed = true;
                ClearLocked();
            }
            else
            {
                AddLocked(frames);
            }

            wake = TakeWaiterLocked();
        }

        if (wake)
        {
            _ready.SetResult(true);
        }

        if (overflow)
        {
            _overflowed();
        }

        return !overflow;
    }

    /// <summary>No more frames: the reader takes what is queued and then sees the end.</summary>
    public void Complete()
    {
        bool wake;
        lock (_lock)
        {
            _closed = true;
            wake = TakeWaiterLocked();
        }

        if (wake)
        {
            _ready.SetResult(true);
        }
    }

    /// <summary>Waits until frames are queued (true) or the queue is closed and empty (false).</summary>
    public ValueTask<bool> WaitToReadAsync()
    {
        lock (_lock)
        {
            if (_bytes > 0)
            {
                return new(true);
            }

            if (_closed)
            {
                return new(false);
            }

            _ready.Reset();
            _readerWaiting = true;
            return new(this, _ready.Version);
        }
    }

    /// <summary>
    /// Copies everything queued into one pooled buffer and empties the queue; the caller writes
    /// <c>frames[..length]</c> out and hands the buffer to <see cref="Release"/>.
    /// </summary>
    public bool TryTake(out byte[] frames, out int length)
    {
        lock (_lock)
        {
            length = _bytes;
            if (length == 0)
            {
                frames = [];
                return false;
            }

            frames = ArrayPool<byte>.Shared.Rent(length);
            var offset = 0;
            foreach (var frame in _frames.AsSpan(0, _count))
            {
                frame.Span.CopyTo(frames.AsSpan(offset));
                offset += frame.Length;
            }

            ClearLocked();
            return true;
        }
    }

    public static void Release(byte[] frames) => ArrayPool<byte>.Shared.Return(frames);

    bool IValueTaskSource<bool>.GetResult(short token) => _ready.GetResult(token);

    ValueTaskSourceStatus IValueTaskSource<bool>.GetStatus(short token) => _ready.GetStatus(token);

    void IValueTaskSource<bool>.OnCompleted(Action<object?> continuation, object? state, short token, ValueTaskSourceOnCompletedFlags flags) =>
        _ready.OnCompleted(continuation, state, token, flags);

    private bool TakeWaiterLocked()
    {
        var waiting = _readerWaiting;
        _readerWaiting = false;
        return waiting;
    }

    private void AddLocked(ReadOnlyMemory<byte> frames)
    {
        if (_frames is null)
        {
            _frames = new ReadOnlyMemory<byte>[InitialSlots];
        }
        else if (_count == _frames.Length)
        {
            Array.Resize(ref _frames, _count * 2);
        }

        _frames[_count++] = frames;
        _bytes += frames.Length;
    }

    private void ClearLocked()
    {
        if (_frames is not null)
        {
            if (_frames.Length > RetainedSlots)
            {
                _frames = null;
            }
            else
            {
                // Drop the references, so sent broadcasts can be collected.
                Array.Clear(_frames, 0, _count);
            }
        }

        (_count, _bytes) = (0, 0);
    }
}
