using System.Buffers;

namespace Wschat.RawAdapter.Transport;

/// <summary>
/// The upgraded connection's stream, able to hold writes back: between <see cref="BeginBatch"/>
/// and <see cref="EndBatchAsync"/> the WebSocket's frames collect in a pooled buffer and then go
/// out in one write and one flush, instead of a flush per frame. Writes outside a batch (the
/// WebSocket's own keep-alive pings, the close frame) pass straight through, one at a time.
/// </summary>
internal sealed class BatchingStream(Stream inner) : Stream
{
    private const int InitialBatchSize = 4096;

    private readonly SemaphoreSlim _writing = new(1, 1);
    private byte[]? _batch;
    private int _batched;

    public override bool CanRead => true;

    public override bool CanSeek => false;

    public override bool CanWrite => true;

    public override long Length => throw new NotSupportedException();

    public override long Position
    {
        get => throw new NotSupportedException();
        set => throw new NotSupportedException();
    }

    public void BeginBatch()
    {
        _writing.Wait();
        _batch = ArrayPool<byte>.Shared.Rent(InitialBatchSize);
        _batched = 0;
        _writing.Release();
    }

    public async ValueTask EndBatchAsync()
    {
        await _writing.WaitAsync();
        var batch = _batch!;
        _batch = null;
        try
        {
            if (_batched > 0)
            {
                await inner.WriteAsync(batch.AsMemory(0, _batched));
                await inner.FlushAsync();
            }
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(batch);
            _writing.Release();
        }
    }

    public override async ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken = default)
    {
        await _writing.WaitAsync(cancellationToken);
        try
        {
            if (_batch is null)
            {
                await inner.WriteAsync(buffer, cancellationToken);
                await inner.FlushAsync(cancellationToken);
                return;
            }

            if (_batched + buffer.Length > _batch.Length)
            {
                var larger = ArrayPool<byte>.Shared.Rent(Math.Max(_batch.Length * 2, _batched + buffer.Length));
                _batch.AsSpan(0, _batched).CopyTo(larger);
                ArrayPool<byte>.Shared.Return(_batch);
                _batch = larger;
            }

            buffer.Span.CopyTo(_batch.AsSpan(_batched));
            _batched += buffer.Length;
        }
        finally
        {
            _writing.Release();
        }
    }

    public override Task WriteAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        WriteAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    public override void Write(byte[] buffer, int offset, int count) => WriteAsync(buffer, offset, count).GetAwaiter().GetResult();

    public override ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default) => inner.ReadAsync(buffer, cancellationToken);

    public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) => inner.ReadAsync(buffer, offset, count, cancellationToken);

    public override int Read(byte[] buffer, int offset, int count) => inner.Read(buffer, offset, count);

    // Writes flush as they go (or at the end of a batch): nothing is left to flush.
    public override Task FlushAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public override void Flush()
    {
    }

    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

    public override void SetLength(long value) => throw new NotSupportedException();

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            inner.Dispose();
            _writing.Dispose();
        }

        base.Dispose(disposing);
    }
}
