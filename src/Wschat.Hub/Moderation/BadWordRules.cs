using System.Buffers;
using System.Text;

namespace Wschat.Hub.Moderation;

/// <summary>One prohibited word and what replaces it (empty: the word is deleted).</summary>
internal readonly record struct BadWordRule(string Word, string Replacement);

/// <summary>The body of a <c>setbadwords</c> command: one <c>word=replacement</c> rule per line.</summary>
internal static class BadWordRules
{
    /// <exception cref="FormatException">A line is not <c>word=replacement</c>, or holds a lone surrogate.</exception>
    public static IReadOnlyList<BadWordRule> Parse(string body)
    {
        var rules = new Dictionary<string, string>(StringComparer.Ordinal);
        var lineNumber = 0;
        foreach (var rawLine in body.Split('\n'))
        {
            lineNumber++;
            var line = rawLine.EndsWith('\r') ? rawLine[..^1] : rawLine;
            if (string.IsNullOrWhiteSpace(line))
            {
                continue;
            }

            var equals = line.IndexOf('=', StringComparison.Ordinal);
            if (equals < 0)
            {
                throw new FormatException($"line {lineNumber}: expected word=replacement, found no '='");
            }

            if (equals == 0)
            {
                throw new FormatException($"line {lineNumber}: the word before '=' is empty");
            }

            var word = line[..equals];
            var replacement = line[(equals + 1)..];
            if (!IsWellFormed(word) || !IsWellFormed(replacement))
            {
                throw new FormatException($"line {lineNumber}: a lone surrogate (half of an emoji or other pair)");
            }

            // A later rule for the same word wins.
            rules[word] = replacement;
        }

        return [.. rules.Select(static r => new BadWordRule(r.Key, r.Value))];
    }

    /// <summary>Whether every surrogate in <paramref name="text"/> is half of a pair.</summary>
    public static bool IsWellFormed(ReadOnlySpan<char> text)
    {
        while (!text.IsEmpty)
        {
            if (Rune.DecodeFromUtf16(text, out _, out var consumed) != OperationStatus.Done)
            {
                return false;
            }

            text = text[consumed..];
        }

        return true;
    }
}
