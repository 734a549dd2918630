using System.Buffers;
using System.Text;
using System.Text.Encodings.Web;

namespace Wschat.RawAdapter.Protocol;

/// <summary>
/// A JSON string encoder that escapes only what JSON requires (quote, backslash, control
/// characters). The BCL encoders, even the relaxed one, escape emoji as surrogate pairs; legacy
/// clients and people reading logs want Chinese text and emoji as plain UTF-8.
/// </summary>
public sealed class Utf8PassthroughJavaScriptEncoder : JavaScriptEncoder
{
    private static readonly SearchValues<char> s_mustEscape = SearchValues.Create(
        "\"\\\u0000\u0001\u0002\u0003\u0004\u0005\u0006\u0007\u0008\u0009\u000A\u000B\u000C\u000D\u000E\u000F" +
        "\u0010\u0011\u0012\u0013\u0014\u0015\u0016\u0017\u0018\u0019\u001A\u001B\u001C\u001D\u001E\u001F");

    public static Utf8PassthroughJavaScriptEncoder Instance { get; } = new();

    private Utf8PassthroughJavaScriptEncoder()
    {
    }

    public override int MaxOutputCharactersPerInputCharacter => 6;

    public override unsafe int FindFirstCharacterToEncode(char* text, int textLength) =>
        new ReadOnlySpan<char>(text, textLength).IndexOfAny(s_mustEscape);

    public override bool WillEncode(int unicodeScalar) => unicodeScalar < 0x20 || unicodeScalar is '"' or '\\';

    public override unsafe bool TryEncodeUnicodeScalar(int unicodeScalar, char* buffer, int bufferLength, out int numberOfCharactersWritten)
    {
        var destination = new Span<char>(buffer, bufferLength);
        if (!WillEncode(unicodeScalar))
        {
            return new Rune(unicodeScalar).TryEncodeToUtf16(destination, out numberOfCharactersWritten);
        }

        ReadOnlySpan<char> escaped = unicodeScalar switch
        {
            '"' => "\\\"",
            '\\' => "\\\\",
            '\n' => "\\n",
            '\r' => "\\r",
            '\t' => "\\t",
            '\b' => "\\b",
            '\f' => "\\f",
            _ => default,
        };
        if (!escaped.IsEmpty)
        {
            numberOfCharactersWritten = escaped.Length;
            return escaped.TryCopyTo(destination);
        }

        numberOfCharactersWritten = 6;
        return destination.Length >= 6 && $"\\u{unicodeScalar:X4}".AsSpan().TryCopyTo(destination);
    }
}
