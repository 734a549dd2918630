using System.Buffers;
using System.Runtime.CompilerServices;

namespace Wschat.Hub.Moderation;

/// <summary>
/// Replaces prohibited words in text: ordinal substrings (Chinese has no word boundaries),
/// leftmost-longest, in time linear in the text however long or many the words. Immutable: a new
/// list builds a new filter.
/// </summary>
/// <remarks>
/// Chat text is searched as it comes: <see cref="SearchValues{T}"/> finds the next position where a
/// word starts (the BCL's multi-string search, vectorized where the words allow) and a trie walks
/// from there to the longest word. That walk may read far past the word it returns (the rules
/// <c>a</c> and <c>aaaa…b</c> against <c>aaaa…</c>), so the characters it reads are counted: text
/// that makes them exceed a few times its length is finished by <see cref="WordStartAutomaton"/>,
/// which reads each character once. (Each search costs a call and skips at least one character, so
/// the searches are linear already; text dense with matches is no faster on the automaton.)
/// </remarks>
internal sealed class BadWordFilter
{
    // Characters the walks may read per character of text before the automaton takes over: text that
    // is not made against the list reads about one per character it replaces.
    private const int ReadsPerCharacter = 4;

    private readonly SearchValues<string> _starts;
    private readonly TrieNode _root = new();
    private readonly WordStartAutomaton _automaton;
    private readonly BadWordRule[] _rules;

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

        _rules = [.. rules];
        string[] words = [.. rules.Select(static r => r.Word)];
        _starts = SearchValues.Create(words, StringComparison.Ordinal);
        _automaton = new WordStartAutomaton(words);
    }

    public static BadWordFilter Empty { get; } = new([]);

    public int Count => _rules.Length;

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
        var reads = ReadsPerCharacter * text.Length;
        while (next >= 0)
        {
            var start = copied + next;
            result.AppendFormatted(text.AsSpan(copied, start - copied));
            if (reads < 0)
            {
                ReplaceAll(text.AsSpan(start), ref result);
                return result.ToStringAndClear();
            }

            var (length, replacement, read) = _root.LongestAt(text.AsSpan(start));
            reads -= read;
            result.AppendLiteral(replacement);
            copied = start + length;
            next = text.AsSpan(copied).IndexOfAny(_starts);
        }

        result.AppendFormatted(text.AsSpan(copied));
        return result.ToStringAndClear();
    }

    /// <summary>Appends <paramref name="text"/> filtered, from the longest word at each of its positions.</summary>
    private void ReplaceAll(ReadOnlySpan<char> text, ref DefaultInterpolatedStringHandler result)
    {
        var pooled = ArrayPool<int>.Shared.Rent(text.Length);
        var longest = pooled.AsSpan(0, text.Length);
        _automaton.FindLongest(text, longest);
        var copied = 0;
        int next;
        while ((next = longest[copied..].IndexOfAnyExcept(0)) >= 0)
        {
            var start = copied + next;
            var rule = _rules[longest[start] - 1];
            result.AppendFormatted(text[copied..start]);
            result.AppendLiteral(rule.Replacement);
            copied = start + rule.Word.Length;
        }

        result.AppendFormatted(text[copied..]);
        ArrayPool<int>.Shared.Return(pooled);
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

        /// <summary>
        /// The longest word that <paramref name="text"/> starts with (the search guarantees one),
        /// and how many characters were read to find it.
        /// </summary>
        public (int Length, string Replacement, int Read) LongestAt(ReadOnlySpan<char> text)
        {
            var node = this;
            var longest = (Length: 0, Replacement: "");
            var i = 0;
            for (; i < text.Length && node._children is not null && node._children.TryGetValue(text[i], out var child); i++)
            {
                node = child;
                if (node._replacement is { } replacement)
                {
                    longest = (i + 1, replacement);
                }
            }

            return (longest.Length, longest.Replacement, i);
        }
    }
}
