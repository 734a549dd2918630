using System.Buffers;

namespace Wschat.Outbound;

/// <summary>
/// Writes a batch of finished frames to a socket's stream in one write (one syscall for a busy room's
/// frames, not one each). The stream must take each write whole, never interleaved with another.
/// </summary>
/// <param name="socket">The socket's stream.</param>
/// <param name="abort">The transport's way to drop the socket.</param>
internal sealed class SocketOutboundWriter(Stream socket, Action abort) : IOutboundWriter
{
    public void Abort() => abort();

    public ValueTask WriteAsync(ReadOnlyMemory<OutboundEntry> batch, int bytes)
    {
        var frames = ArrayPool<byte>.Shared.Rent(bytes);
        var offset = 0;
        foreach (var entry in batch.Span)
        {
            entry.Bytes.Span.CopyTo(frames.AsSpan(offset));
            offset += entry.Bytes.Length;
        }

        ValueTask write;
        try
        {
            write = socket.WriteAsync(frames.AsMemory(0, bytes));
        }
        catch
        {
            ArrayPool<byte>.Shared.Return(frames);
            throw;
        }

        if (!write.IsCompletedSuccessfully)
        {
            return ReturnAfterAsync(write, frames);
        }

        write.GetAwaiter().GetResult();
        ArrayPool<byte>.Shared.Return(frames);
        return default;
    }

    private static async ValueTask ReturnAfterAsync(ValueTask write, byte[] frames)
    {
        try
        {
            await write;
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(frames);
        }
    }
}
