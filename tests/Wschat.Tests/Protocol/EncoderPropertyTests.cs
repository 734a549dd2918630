using System.Globalization;
using System.Text;
using System.Text.Json;
using FsCheck.Xunit;
using Wschat.RawAdapter.Protocol;

namespace Wschat.Tests.Protocol;

/// <summary>The encoder every wschat and SignalR JSON writer uses: text goes out as UTF-8, escaped only where JSON must.</summary>
public sealed class EncoderPropertyTests
{
    private static readonly JsonSerializerOptions Utf8Json = new() { Encoder = Utf8PassthroughJavaScriptEncoder.Instance };

    [Property(MaxTest = 2000)]
    public void Any_valid_text_round_trips_and_only_JSON_syntax_and_control_characters_are_escaped(string text, bool withEmoji)
    {
        var valid = WithoutLoneSurrogates(text ?? "") + (withEmoji ? "😀中文\u2028<>&'+" : "");

        var json = JsonSerializer.Serialize(valid, Utf8Json);

        using var document = JsonDocument.Parse(json);
        Assert.Equal(valid, document.RootElement.GetString());
        var (verbatim, uEscaped) = SplitEscapes(json[1..^1]);
        Assert.Equal(string.Concat(valid.Where(static c => c >= 0x20 && c is not '"' and not '\\')), verbatim);
        Assert.All(uEscaped, static c => Assert.True(c < 0x20, $"U+{c:X4} was written as \\u{c:X4}"));
    }

    /// <summary>Keeps surrogate pairs (emoji); drops surrogates that are not part of one: those are not text.</summary>
    private static string WithoutLoneSurrogates(string text)
    {
        var valid = new StringBuilder(text.Length);
        for (var i = 0; i < text.Length; i++)
        {
            if (char.IsHighSurrogate(text[i]) && i + 1 < text.Length && char.IsLowSurrogate(text[i + 1]))
            {
                valid.Append(text, i++, 2);
            }
            else if (!char.IsSurrogate(text[i]))
            {
                valid.Append(text[i]);
            }
        }

        return valid.ToString();
    }

    /// <summary>The characters of a JSON string body written as themselves, and the code units written as <c>\uXXXX</c>.</summary>
    private static (string Verbatim, List<int> UEscaped) SplitEscapes(string body)
    {
        var verbatim = new StringBuilder(body.Length);
        var uEscaped = new List<int>();
        for (var i = 0; i < body.Length; i++)
        {
            if (body[i] != '\\')
            {
                verbatim.Append(body[i]);
            }
            else if (body[++i] == 'u')
            {
                uEscaped.Add(int.Parse(body.AsSpan(i + 1, 4), NumberStyles.HexNumber, CultureInfo.InvariantCulture));
                i += 4;
            }
        }

        return (verbatim.ToString(), uEscaped);
    }
}
