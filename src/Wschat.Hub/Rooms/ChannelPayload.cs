using System.Buffers.Text;

namespace Wschat.Hub.Rooms;

/// <summary>Reads the text header lines of a channel message, without copying the bytes after them.</summary>
internal static class ChannelPayload
{
    public static ReadOnlyMemory<byte> NextLine(ref ReadOnlyMemory<byte> rest)
    {
        var end = rest.Span.IndexOf((byte)'\n');
        if (end < 0)
        {
            throw new FormatException("A channel message ends inside its header.");
        }

        var line = rest[..end];
        rest = rest[(end + 1)..];
        return line;
    }

    public static long NextNumber(ref ReadOnlyMemory<byte> rest)
    {
        var digits = NextLine(ref rest).Span;
        return Utf8Parser.TryParse(digits, out long value, out var consumed) && consumed == digits.Length
            ? value
            : throw new FormatException("A channel message has a malformed number in its header.");
    }
}
