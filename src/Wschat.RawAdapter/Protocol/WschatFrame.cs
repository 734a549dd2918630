using System.Buffers;
using System.Buffers.Binary;

namespace Wschat.RawAdapter.Protocol;

/// <summary>What the transport saw on the socket; the protocol turns the refused kinds into errors.</summary>
internal enum WschatFrameKind : byte
{
    Text = 0,
    Binary = 1,
    TooLarge = 2,
}

/// <summary>
/// Framing of the pipe from the raw transport to the protocol: each WebSocket message becomes one
/// record (kind, length, payload), so message boundaries survive the pipe whatever bytes a client
/// sends. (Outbound records are WebSocket frames: <see cref="WebSocketTextFrame"/>.)
/// </summary>
internal static class WschatFrame
{
    public const int HeaderSize = 5;

    public static void WriteHeader(Span<byte> destination, WschatFrameKind kind, int payloadLength)
    {
        destination[0] = (byte)kind;
        BinaryPrimitives.WriteInt32LittleEndian(destination[1..], payloadLength);
    }

    public static bool TryRead(ref ReadOnlySequence<byte> input, out WschatFrameKind kind, out ReadOnlySequence<byte> payload)
    {
        kind = default;
        payload = default;
        if (input.Length < HeaderSize)
        {
            return false;
        }

        Span<byte> header = stackalloc byte[HeaderSize];
        input.Slice(0, HeaderSize).CopyTo(header);
        var length = BinaryPrimitives.ReadInt32LittleEndian(header[1..]);
        if (input.Length - HeaderSize < length)
        {
            return false;
        }

        kind = (WschatFrameKind)header[0];
        payload = input.Slice(HeaderSize, length);
        input = input.Slice(payload.End);
        return true;
    }
}
