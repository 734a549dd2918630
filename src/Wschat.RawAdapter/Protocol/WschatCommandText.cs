using System.Text;

namespace Wschat.RawAdapter.Protocol;

/// <summary>
/// The legacy non-JSON form <c>name:\r\nbody</c> (e.g. <c>setbadwords:\r\n禁词1=好词1\r\n</c>):
/// an invocation of <c>name</c> whose single string argument is <c>body</c>.
/// </summary>
internal static class WschatCommandText
{
    private const int MaxNameLength = 64;
    private static readonly UTF8Encoding s_strictUtf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    public static bool TryParse(ReadOnlySpan<byte> frame, out string name, out string body)
    {
        name = body = string.Empty;
        var colon = frame.IndexOf((byte)':');
        if (colon is <= 0 or > MaxNameLength || !IsName(frame[..colon]))
        {
            return false;
        }

        var rest = frame[(colon + 1)..];
        int newline = rest.StartsWith("\r\n"u8) ? 2 : rest.StartsWith("\n"u8) ? 1 : 0;
        if (newline == 0 && !rest.IsEmpty)
        {
            return false;
        }

        try
        {
            body = s_strictUtf8.GetString(rest[newline..]);
        }
        catch (DecoderFallbackException)
        {
            return false;
        }

        name = Encoding.ASCII.GetString(frame[..colon]);
        return true;
    }

    private static bool IsName(ReadOnlySpan<byte> candidate)
    {
        foreach (var b in candidate)
        {
            if (!char.IsAsciiLetterOrDigit((char)b) && b != (byte)'_')
            {
                return false;
            }
        }

        return true;
    }
}
