using System.Buffers;
using Microsoft.AspNetCore.SignalR;

namespace Wschat.RawAdapter.Outbound;

/// <summary>
/// The frames waiting for one socket, and their way onto it. Writers (the hub, on any thread) add
/// finished frames by reference: a broadcast's bytes are shared by every recipient, never copied per
/// socket. When frames arrive the socket lines up at its <see cref="OutboundPump"/>, which later
/// writes everything queued by then in one write: a busy room's frames coalesce. A client that stops
/// reading cannot make the queue grow without bound: past the limit it closes and drops the socket.
/// </summary>
internal sealed class OutboundQueue : IConnectionOutbox, IPumpedOutbox
{
    private const int InitialSlots = 4;

    // A queue that grew past this (a burst) gives its slots back once drained, keeping idle connections small.
    private const int RetainedSlots = 64;

    private readonly Lock _lock = new();
    private readonly Stream _socket;
    private readonly OutboundPump _pump;
    private readonly int _limit;
    private readonly Action<Exception?> _drop;
    private readonly TaskCompletionSource _drained = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private ReadOnlyMemory<byte>[]? _frames;
    private int _count;
    private int _bytes;
    private bool _closed;
    private bool _scheduled;

    /// <param name="socket">Where the frames go; each write must be whole (see <see cref="Transport.ExclusiveWriteStream"/>).</param>
    /// <param name="pump">Who writes them, in turn with other sockets.</param>
    /// <param name="limit">Most bytes that may wait.</param>
    /// <param name="drop">Called once if the socket must be dropped: null after an overflow, else the write's failure.</param>
    public OutboundQueue(Stream socket, OutboundPump pump, int limit, Action<Exception?> drop)
    {
        _socket = socket;
        _pump = pump;
        _limit = limit;
        _drop = drop;
    }

    /// <summary>Set once the queue was closed because its reader fell more than the limit behind.</summary>
    public bool HasOverflowed { get; private set; }

    /// <summary>Set once a write failed or the queue overflowed: the socket is being dropped, nothing more goes out.</summary>
    public bool IsBroken { get; private set; }

    /// <summary>Completes after <see cref="Complete"/> once everything queued before it is written (or the socket is dropped).</summary>
    public Task Drained => _drained.Task;

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
        bool schedule = false;
        var drained = false;
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
                BreakLocked();
                drained = !_scheduled;
            }
            else
            {
                AddLocked(frames);
                schedule = !_scheduled;
                _scheduled = true;
            }
        }

        if (schedule)
        {
            _pump.Schedule(this);
        }
        else if (overflow)
        {
            _drop(null);
            if (drained)
            {
                _drained.TrySetResult();
            }
        }

        return !overflow;
    }

    bool IConnectionOutbox.TryEnqueue(SerializedHubMessage message, ReadOnlyMemory<byte> serialized) => TryEnqueue(serialized);

    /// <summary>No more frames: <see cref="Drained"/> completes once the queued ones are written.</summary>
    public void Complete()
    {
        lock (_lock)
        {
            _closed = true;
            if (_scheduled)
            {
                // The pump finishes the writing and completes Drained.
                return;
            }
        }

        _drained.TrySetResult();
    }

    /// <summary>The pump's turn for this socket: write everything queued in one write.</summary>
    public void Send()
    {
        byte[] frames;
        int length;
        lock (_lock)
        {
            length = _bytes;
            if (length == 0)
            {
                // Dropped meanwhile: nothing left to write.
                _scheduled = false;
                frames = [];
            }
            else
            {
                frames = ArrayPool<byte>.Shared.Rent(length);
                var offset = 0;
                foreach (var frame in _frames.AsSpan(0, _count))
                {
                    frame.Span.CopyTo(frames.AsSpan(offset));
                    offset += frame.Length;
                }

                ClearLocked();
            }
        }

        if (length == 0)
        {
            _drained.TrySetResult();
            return;
        }

        ValueTask write;
        try
        {
            write = _socket.WriteAsync(frames.AsMemory(0, length));
        }
        catch (Exception ex) when (ex is IOException or ObjectDisposedException or OperationCanceledException)
        {
            Written(frames, ex);
            return;
        }

        if (write.IsCompletedSuccessfully)
        {
            Written(frames, null);
        }
        else
        {
            _ = CompleteWriteAsync(write, frames);
        }
    }

    private async Task CompleteWriteAsync(ValueTask write, byte[] frames)
    {
        Exception? failure = null;
        try
        {
            await write;
        }
        catch (Exception ex) when (ex is IOException or ObjectDisposedException or OperationCanceledException or InvalidOperationException)
        {
            failure = ex;
        }

        Written(frames, failure);
    }

    /// <summary>After a write: line up again if more frames came meanwhile, else rest (or report the end).</summary>
    private void Written(byte[] frames, Exception? failure)
    {
        ArrayPool<byte>.Shared.Return(frames);
        bool again;
        bool drained;
        var drop = false;
        lock (_lock)
        {
            if (failure is not null && !IsBroken)
            {
                BreakLocked();
                drop = true;
            }

            again = _bytes > 0;
            _scheduled = again;
            drained = !again && _closed;
        }

        if (drop)
        {
            _drop(failure);
        }

        if (again)
        {
            _pump.Schedule(this);
        }
        else if (drained)
        {
            _drained.TrySetResult();
        }
    }

    private void BreakLocked()
    {
        IsBroken = true;
        _closed = true;
        ClearLocked();
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
