using System.Buffers;
using System.Text;

namespace Wschat.Hub.Moderation;

/// <summary>
/// Replaces prohibited words in text: ordinal substrings (Chinese has no word boundaries),
/// leftmost-longest. <see cref="SearchValues{T}"/> finds the next position where any word starts
/// (a vectorized multi-string search), and a trie picks the longest word there, so the cost is
/// linear in the text however long the list. Words are whole UTF-16 sequences, so a match never
/// splits a surrogate pair. Immutable: a new list builds a new filter.
/// </summary>
internal sealed class BadWordFilter
{
    private readonly SearchValues<string>? _starts;
    private readonly TrieNode _root;

    private BadWordFilter(IReadOnlyList<BadWordRule> rules)
    {
        _root = new TrieNode();
        foreach (var (word, replacement) in rules)
        {
            _root.Add(word, replacement);
        }

        Count = rules.Count;
        _starts = rules.Count == 0 ? null : SearchValues.Create([.. rules.Select(static r => r.Word)], StringComparison.Ordinal);
    }

    public static BadWordFilter Empty { get; } = new([]);

    public int Count { get; }

    public static BadWordFilter Create(IReadOnlyList<BadWordRule> rules) => rules.Count == 0 ? Empty : new(rules);

    /// <returns><paramref name="text"/> itself when nothing matched.</returns>
    public string Apply(string text)
    {
        if (_starts is null)
        {
            return text;
        }

        var next = text.AsSpan().IndexOfAny(_starts);
        if (next < 0)
        {
            return text;
        }

        var result = new StringBuilder(text.Length);
        var copied = 0;
        while (next >= 0)
        {
            var start = copied + next;
            var (length, replacement) = _root.LongestAt(text.AsSpan(start));
            result.Append(text, copied, start - copied).Append(replacement);
            copied = start + length;
            next = text.AsSpan(copied).IndexOfAny(_starts);
        }

        return result.Append(text, copied, text.Length - copied).ToString();
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
            (int, string) longest = default;
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
