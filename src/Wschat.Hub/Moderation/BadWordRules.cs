using System.Buffers;
using System.Text;

namespace Wschat.Hub.Moderation;

/// <summary>One prohibited word and what replaces it (empty: the word is deleted).</summary>
public readonly record struct BadWordRule(string Word, string Replacement);

/// <summary>The body of a <c>setbadwords</c> command: one <c>word=replacement</c> rule per line.</summary>
internal static class BadWordRules
{
    /// <exception cref="FormatException">A line is not <c>word=replacement</c>, or holds a broken surrogate pair.</exception>
    public static IReadOnlyList<BadWordRule> Parse(string body)
    {
        var rules = new Dictionary<string, string>(StringComparer.Ordinal);
        var lineNumber = 0;
        foreach (var rawLine in body.Split('\n'))
        {
            lineNumber++;
            var line = rawLine.EndsWith('\r') ? rawLine[..^1] : rawLine;
            if (line.Length == 0)
            {
                continue;
            }

            var equals = line.IndexOf('=', StringComparison.Ordinal);
            if (equals <= 0)
            {
                throw new FormatException($"line {lineNumber}: expected word=replacement");
            }

            var word = line[..equals];
            var replacement = line[(equals + 1)..];
            if (!IsWellFormed(word) || !IsWellFormed(replacement))
            {
                throw new FormatException($"line {lineNumber}: broken surrogate pair");
            }

            // A later rule for the same word wins.
            rules[word] = replacement;
        }

        return [.. rules.Select(static r => new BadWordRule(r.Key, r.Value))];
    }

    private static bool IsWellFormed(string text)
    {
        var remaining = text.AsSpan();
        while (!remaining.IsEmpty)
        {
            if (Rune.DecodeFromUtf16(remaining, out _, out var consumed) != OperationStatus.Done)
            {
                return false;
            }

            remaining = remaining[consumed..];
        }

        return true;
    }
}
