using System.Buffers;
using System.IO.Pipelines;
using Wschat.Outbound;

namespace Wschat.RawAdapter.Transport;

/// <summary>
/// The hub's output for a raw connection, feeding the socket's <see cref="OutboundQueue"/>. A
/// broadcast arrives through <see cref="WriteAsync"/> as bytes serialized once for every
/// recipient, and is queued by reference; a message written for this connection alone is copied
/// out when flushed. Either way it is already a WebSocket frame. Writes never wait: a reader that
/// falls behind is the queue's limit to handle. The SignalR handshake response, which a raw client
/// must not see, is dropped.
/// </summary>
internal sealed class OutboundQueueWriter(OutboundQueue queue) : PipeWriter
{
    private const byte HandshakeRecordSeparator = 0x1E;

    private byte[]? _buffer;
    private int _written;
    private bool _handshakeResponseDropped;

    public override bool CanGetUnflushedBytes => true;

    public override long UnflushedBytes => _written;

    public override Memory<byte> GetMemory(int sizeHint = 0)
    {
        var needed = _written + Math.Max(sizeHint, 1);
        if (_buffer is null || needed > _buffer.Length)
        {
            var larger = ArrayPool<byte>.Shared.Rent(Math.Max(needed, 256));
            if (_buffer is not null)
            {
                _buffer.AsSpan(0, _written).CopyTo(larger);
                ArrayPool<byte>.Shared.Return(_buffer);
            }

            _buffer = larger;
        }

        return _buffer.AsMemory(_written);
    }

    public override Span<byte> GetSpan(int sizeHint = 0) => GetMemory(sizeHint).Span;

    public override void Advance(int bytes) => _written += bytes;

    public override ValueTask<FlushResult> FlushAsync(CancellationToken cancellationToken = default) =>
        new(new FlushResult(isCanceled: false, isCompleted: !FlushWritten() || queue.IsClosed));

    /// <summary>SignalR hands a serialized broadcast over here: it is immutable and shared, so it is queued as it is.</summary>
    public override ValueTask<FlushResult> WriteAsync(ReadOnlyMemory<byte> source, CancellationToken cancellationToken = default)
    {
        var open = FlushWritten() && (source.IsEmpty || queue.TryEnqueue(source));
        return new(new FlushResult(isCanceled: false, isCompleted: !open));
    }

    // Flushes complete at once: there is never a pending one to cancel.
    public override void CancelPendingFlush()
    {
    }

    public override void Complete(Exception? exception = null)
    {
        ReturnBuffer();
        queue.Complete();
    }

    /// <summary>Queues a copy of what was written since the last flush; false if the queue refused it.</summary>
    private bool FlushWritten()
    {
        if (_written == 0)
        {
            return true;
        }

        var written = _buffer.AsSpan(0, _written);
        if (!_handshakeResponseDropped && written.IndexOf(HandshakeRecordSeparator) is >= 0 and var end)
        {
            _handshakeResponseDropped = true;
            written = written[(end + 1)..];
        }

        var open = written.IsEmpty || queue.TryEnqueue(written.ToArray());
        ReturnBuffer();
        return open;
    }

    private void ReturnBuffer()
    {
        if (_buffer is not null)
        {
            ArrayPool<byte>.Shared.Return(_buffer);
            (_buffer, _written) = (null, 0);
        }
    }
}
