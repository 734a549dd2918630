using System.Buffers;

namespace Wschat.Hub.Moderation;

/// <summary>
/// For every position of a text, the longest of a set of words that starts there, in one pass whatever
/// the words: an Aho-Corasick automaton of the reversed words run over the text from its end. Each
/// state stands for the longest text from the current position on that ends some word, so the longest
/// word starting at the position is the state's own or the nearest one along its failure links,
/// computed once per state. A forward scan would have to look past a short match for a longer one and
/// look again from the next start, which costs the text times the longest word.
/// </summary>
internal sealed class WordStartAutomaton
{
    private const int Root = 0;

    // Above this many edges a state's characters are binary-searched; below, a vectorized scan is faster.
    private const int LinearEdges = 16;

    // State s has the edges [_edgeStart[s], _edgeStart[s + 1]): characters ascending, with their targets.
    private readonly int[] _edgeStart;
    private readonly char[] _edgeChars;
    private readonly int[] _edgeTargets;
    private readonly int[] _failure;

    // 1 + the index of the longest word that the state's text starts with; 0: none.
    private readonly int[] _longestWord;

    // From the root only a word's last character leads anywhere: the characters in between are skipped.
    private readonly SearchValues<char> _lastChars;

    public WordStartAutomaton(IReadOnlyList<string> words)
    {
        var trie = new List<Dictionary<char, int>> { new() };
        var wordAt = new List<int> { -1 };
        for (var w = 0; w < words.Count; w++)
        {
            var state = Root;
            for (var i = words[w].Length - 1; i >= 0; i--)
            {
                if (!trie[state].TryGetValue(words[w][i], out var next))
                {
                    next = trie.Count;
                    trie.Add([]);
                    wordAt.Add(-1);
                    trie[state][words[w][i]] = next;
                }

                state = next;
            }

            wordAt[state] = w;
        }

        _failure = new int[trie.Count];
        _longestWord = new int[trie.Count];
        LinkFailures(trie, wordAt);

        _edgeStart = new int[trie.Count + 1];
        _edgeChars = new char[trie.Count - 1];
        _edgeTargets = new int[trie.Count - 1];
        var edge = 0;
        for (var state = 0; state < trie.Count; state++)
        {
            _edgeStart[state] = edge;
            foreach (var (c, target) in trie[state].OrderBy(static e => e.Key))
            {
                _edgeChars[edge] = c;
                _edgeTargets[edge++] = target;
            }
        }

        _edgeStart[trie.Count] = edge;
        _lastChars = SearchValues.Create([.. words.Select(static w => w[^1]).Distinct()]);
    }

    /// <summary>
    /// Sets <paramref name="longest"/>[i] to 1 + the index of the longest word that <paramref name="text"/>
    /// has at position i (0: none). Both spans have the same length.
    /// </summary>
    public void FindLongest(ReadOnlySpan<char> text, Span<int> longest)
    {
        var state = Root;
        var i = text.Length - 1;
        while (i >= 0)
        {
            if (state == Root)
            {
                var last = text[..(i + 1)].LastIndexOfAny(_lastChars);
                longest[(last + 1)..(i + 1)].Clear();
                i = last;
                if (i < 0)
                {
                    break;
                }
            }

            state = Step(state, text[i]);
            longest[i--] = _longestWord[state];
        }
    }

    private int Step(int state, char c)
    {
        while (true)
        {
            var start = _edgeStart[state];
            var chars = _edgeChars.AsSpan(start, _edgeStart[state + 1] - start);
            var edge = chars.Length <= LinearEdges ? chars.IndexOf(c) : chars.BinarySearch(c);
            if (edge >= 0)
            {
                return _edgeTargets[start + edge];
            }

            if (state == Root)
            {
                return Root;
            }

            state = _failure[state];
        }
    }

    /// <summary>Breadth first, so a state's failure target (shallower) is complete before the state.</summary>
    private void LinkFailures(List<Dictionary<char, int>> trie, List<int> wordAt)
    {
        var queue = new Queue<int>(trie[Root].Values);
        while (queue.TryDequeue(out var state))
        {
            _longestWord[state] = wordAt[state] >= 0 ? wordAt[state] + 1 : _longestWord[_failure[state]];
            foreach (var (c, child) in trie[state])
            {
                var fallback = _failure[state];
                while (!trie[fallback].ContainsKey(c) && fallback != Root)
                {
                    fallback = _failure[fallback];
                }

                _failure[child] = trie[fallback].GetValueOrDefault(c, Root);
                queue.Enqueue(child);
            }
        }
    }
}
