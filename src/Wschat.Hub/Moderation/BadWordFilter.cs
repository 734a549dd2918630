using System.Buffers;
using System.Runtime.CompilerServices;

namespace Wschat.Hub.Moderation;

/// <summary>
/// Replaces prohibited words in text: ordinal substrings (Chinese has no word boundaries),
/// leftmost-longest. <see cref="SearchValues{T}"/> finds the next position where any word starts
/// (the BCL's multi-string search, vectorized where the words allow), and a trie picks the longest
/// word there, so the cost is linear in the text (times at most the longest word) however long the
/// list. Immutable: a new list builds a new filter.
/// </summary>
internal sealed class BadWordFilter
{
    private readonly SearchValues<string> _starts;
    private readonly TrieNode _root = new();

    private BadWordFilter(IReadOnlyList<BadWordRule> rules)
    {
        foreach (var (word, replacement) in rules)
        {
            // An empty word would match everywhere and consume nothing; a word with a lone
            // surrogate could match half of an emoji. Whole words never split a pair.
            if (word.Length == 0 || !BadWordRules.IsWellFormed(word))
            {
                throw new ArgumentException($"Not a word to filter: \"{word}\".", nameof(rules));
            }

            _root.Add(word, replacement);
        }

        Count = rules.Count;
        _starts = SearchValues.Create([.. rules.Select(static r => r.Word)], StringComparison.Ordinal);
    }

    public static BadWordFilter Empty { get; } = new([]);

    public int Count { get; }

    /// <exception cref="ArgumentException">A word is empty or holds a lone surrogate.</exception>
    public static BadWordFilter Create(IReadOnlyList<BadWordRule> rules) => rules.Count == 0 ? Empty : new(rules);

    /// <returns><paramref name="text"/> itself when nothing matched.</returns>
    public string Apply(string text)
    {
        var next = text.AsSpan().IndexOfAny(_starts);
        if (next < 0)
        {
            return text;
        }

        // A pooled, growable buffer sized for the text: the result string is the only allocation.
        var result = new DefaultInterpolatedStringHandler(text.Length, 0);
        var copied = 0;
        while (next >= 0)
        {
            var start = copied + next;
            var (length, replacement) = _root.LongestAt(text.AsSpan(start));
            result.AppendFormatted(text.AsSpan(copied, start - copied));
            result.AppendLiteral(replacement);
            copied = start + length;
            next = text.AsSpan(copied).IndexOfAny(_starts);
        }

        result.AppendFormatted(text.AsSpan(copied));
        return result.ToStringAndClear();
    }

    private sealed class TrieNode
    {
        private Dictionary<char, TrieNode>? _children;
        private string? _replacement;

        public void Add(string word, string replacement)
        {
            var node = this;
            foreach (var c in word)
            {
                node._children ??= [];
                if (!node._children.TryGetValue(c, out var child))
                {
                    child = new TrieNode();
                    node._children[c] = child;
                }

                node = child;
            }

            node._replacement = replacement;
        }

        /// <summary>The longest word that <paramref name="text"/> starts with (the search guarantees one).</summary>
        public (int Length, string Replacement) LongestAt(ReadOnlySpan<char> text)
        {
            var node = this;
            var longest = (Length: 0, Replacement: "");
            for (var i = 0; i < text.Length && node._children is not null && node._children.TryGetValue(text[i], out var child); i++)
            {
                node = child;
                if (node._replacement is { } replacement)
                {
                    longest = (i + 1, replacement);
                }
            }

            return longest;
        }
    }
}
