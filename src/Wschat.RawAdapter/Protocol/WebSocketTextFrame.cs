using System.Buffers;
using System.Buffers.Binary;

namespace Wschat.RawAdapter.Protocol;

/// <summary>
/// Outbound records are finished WebSocket text frames (RFC 6455 §5.2, unmasked, FIN set): a
/// broadcast is framed once when it is serialized, and the transport puts the same bytes on
/// every recipient's socket without looking inside.
/// </summary>
internal static class WebSocketTextFrame
{
    public const int MaxHeaderSize = 10;

    private const byte FinalText = 0x81;
    private const byte Length16 = 126;
    private const byte Length64 = 127;

    public static void Write(IBufferWriter<byte> output, ReadOnlySpan<byte> payload)
    {
        var destination = output.GetSpan(MaxHeaderSize + payload.Length);
        var header = WriteHeader(destination, payload.Length);
        payload.CopyTo(destination[header..]);
        output.Advance(header + payload.Length);
    }

    /// <summary>Reads one frame written by <see cref="Write"/>; false while it is incomplete.</summary>
    public static bool TryRead(ref ReadOnlySequence<byte> input, out ReadOnlySequence<byte> payload)
    {
        payload = default;
        Span<byte> header = stackalloc byte[MaxHeaderSize];
        var available = (int)Math.Min(input.Length, MaxHeaderSize);
        input.Slice(0, available).CopyTo(header);
        if (available < 2 || header[0] != FinalText)
        {
            return false;
        }

        (int size, long length) = (header[1] & 0x7F) switch
        {
            Length16 when available >= 4 => (4, BinaryPrimitives.ReadUInt16BigEndian(header[2..])),
            Length64 when available >= 10 => (10, (long)BinaryPrimitives.ReadUInt64BigEndian(header[2..])),
            Length16 or Length64 => (0, 0L),
            var small => (2, (long)small),
        };
        if (size == 0 || input.Length - size < length)
        {
            return false;
        }

        payload = input.Slice(size, length);
        input = input.Slice(payload.End);
        return true;
    }

    private static int WriteHeader(Span<byte> destination, int length)
    {
        destination[0] = FinalText;
        if (length < Length16)
        {
            destination[1] = (byte)length;
            return 2;
        }

        if (length <= ushort.MaxValue)
        {
            destination[1] = Length16;
            BinaryPrimitives.WriteUInt16BigEndian(destination[2..], (ushort)length);
            return 4;
        }

        destination[1] = Length64;
        BinaryPrimitives.WriteUInt64BigEndian(destination[2..], (ulong)length);
        return 10;
    }
}
