using System.Text;
using Wschat.Hub.Moderation;

namespace Wschat.Tests.Moderation;

public sealed class BadWordFilterTests
{
    private static BadWordFilter Filter(params (string Word, string Replacement)[] rules) =>
        BadWordFilter.Create([.. rules.Select(static r => new BadWordRule(r.Word, r.Replacement))]);

    [Fact]
    public void The_longest_word_at_the_leftmost_match_wins()
    {
        var filter = Filter(("ab", "X"), ("abc", "Y"), ("bcd", "Z"));

        Assert.Equal("Yd", filter.Apply("abcd"));
    }

    [Fact]
    public void Adjacent_and_repeated_matches_are_all_replaced_and_an_empty_replacement_deletes()
    {
        var filter = Filter(("禁词", "好词"), ("删除", ""));

        Assert.Equal("好词好词这里好词", filter.Apply("禁词禁词这里删除禁词"));
    }

    [Fact]
    public void Emoji_words_match_whole_and_emoji_next_to_words_stay_intact()
    {
        var filter = Filter(("😀", "[笑]"), ("坏", "好"));

        Assert.Equal("[笑][笑]好😎好", filter.Apply("😀😀坏😎坏"));
    }

    [Fact]
    public void Overlapping_occurrences_are_taken_left_to_right_without_rescanning_replacements()
    {
        var filter = Filter(("aa", "a"), ("ba", "X"));

        Assert.Equal("aaab", filter.Apply("aaaaab"));
        Assert.Equal("Xa", filter.Apply("baa"));
    }

    [Fact]
    public void Chinese_words_are_found_inside_a_sentence_without_word_boundaries()
    {
        var filter = Filter(("傻瓜", "**"), ("傻瓜蛋", "***"), ("广告", ""));

        Assert.Equal("你这个***，看**点广", filter.Apply("你这个傻瓜蛋，看广告傻瓜点广"));
    }

    [Fact]
    public void A_word_with_an_emoji_inside_matches_whole_and_a_broken_pair_in_the_text_is_left_alone()
    {
        var filter = Filter(("坏😀", "好"), ("😀", "[笑]"));

        Assert.Equal("好[笑]\ud83d[笑]", filter.Apply("坏😀😀\ud83d😀"));
    }

    // Lone surrogates do not survive attribute arguments, hence member data built at run time.
    public static TheoryData<string> NotWords => ["", "\ud83d", "a\ude00"];

    [Theory]
    [MemberData(nameof(NotWords), DisableDiscoveryEnumeration = true)]
    public void An_empty_word_or_one_with_a_lone_surrogate_is_refused(string word) =>
        Assert.Throws<ArgumentException>(() => Filter((word, "x")));

    [Fact]
    public void Text_without_a_match_is_returned_as_the_same_instance()
    {
        var text = "完全正常的弹幕 🎉";

        var filter = Filter(("坏", "好"));
        Assert.Same(text, filter.Apply(text));
        Assert.Same(text, BadWordFilter.Empty.Apply(text));

        var before = GC.GetAllocatedBytesForCurrentThread();
        filter.Apply(text);
        Assert.Equal(before, GC.GetAllocatedBytesForCurrentThread());
    }

    [Fact]
    public void Ten_thousand_random_words_give_what_a_naive_leftmost_longest_scan_gives()
    {
        var random = new Random(20261123);
        for (var round = 0; round < 20; round++)
        {
            var rules = RandomRules(random, round == 0 ? 10_000 : random.Next(1, 300));
            var filter = BadWordFilter.Create(rules);
            for (var sample = 0; sample < (rules.Length > 1000 ? 3 : 25); sample++)
            {
                var text = RandomText(random, 1024);
                Assert.Equal(NaiveLeftmostLongest(rules, text), filter.Apply(text));
            }
        }
    }

    [Fact]
    public void Text_of_near_matches_that_the_automaton_finishes_gives_what_the_naive_scan_gives()
    {
        // Long words of one letter repeated then another, every letter a word, and text made of their
        // beginnings: a walk from each letter of a run reads to its end and replaces one letter, so the
        // walks run out of budget part way in.
        var random = new Random(20261130);
        for (var round = 0; round < 20; round++)
        {
            var longWords = Enumerable.Range(0, random.Next(1, 5))
                .Select(_ => string.Concat(Enumerable.Repeat(Alphabet[random.Next(3)], random.Next(10, 40))) + Alphabet[random.Next(3, Alphabet.Length)])
                .Distinct()
                .ToArray();
            BadWordRule[] rules = [.. longWords.Select(static w => new BadWordRule(w, "<long>")), .. Alphabet.Select(static l => new BadWordRule(l, "."))];
            var text = new StringBuilder();
            while (text.Length < 4096)
            {
                var word = longWords[random.Next(longWords.Length)];
                text.Append(word, 0, random.Next(1, word.Length + 1));
            }

            Assert.Equal(NaiveLeftmostLongest(rules, text.ToString()), BadWordFilter.Create(rules).Apply(text.ToString()));
        }
    }

    [Fact]
    public void The_longest_word_at_every_position_is_what_a_naive_scan_finds()
    {
        var random = new Random(20261201);
        for (var round = 0; round < 50; round++)
        {
            var words = RandomRules(random, random.Next(1, 50)).Select(static r => r.Word).ToArray();
            var text = RandomText(random, random.Next(0, 300));

            var longest = new int[text.Length];
            new WordStartAutomaton(words).FindLongest(text, longest);

            var expected = Enumerable.Range(0, text.Length).Select(i => words
                .Select(static (word, index) => (word, index))
                .Where(w => string.CompareOrdinal(text, i, w.word, 0, w.word.Length) == 0 && i + w.word.Length <= text.Length)
                .OrderByDescending(static w => w.word.Length)
                .Select(static w => w.index + 1)
                .FirstOrDefault());
            Assert.Equal(expected, longest);
        }
    }

    [Fact]
    public void Sixty_thousand_letters_each_starting_a_long_near_match_are_filtered_whole()
    {
        var filter = Filter(("a", "*"), (new string('a', 999) + "b", "X"));

        Assert.Equal(new string('*', 59_001) + "X", filter.Apply(new string('a', 60_000) + "b"));
        Assert.Equal(new string('*', 60_000), filter.Apply(new string('a', 60_000)));
    }

    // Small alphabet with a surrogate pair, so matches overlap, nest and sit next to emoji.
    private static readonly string[] Alphabet = ["a", "b", "c", "禁", "词", "😀"];

    private static string RandomText(Random random, int units)
    {
        var text = new StringBuilder();
        while (text.Length < units)
        {
            text.Append(Alphabet[random.Next(Alphabet.Length)]);
        }

        return text.ToString();
    }

    private static BadWordRule[] RandomRules(Random random, int count) =>
        [.. Enumerable.Range(0, count)
            .Select(_ => RandomText(random, random.Next(1, 9)))
            .Distinct(StringComparer.Ordinal)
            .Select(word => new BadWordRule(word, random.Next(3) == 0 ? "" : "<" + word.Length + ">"))];

    private static string NaiveLeftmostLongest(IReadOnlyList<BadWordRule> rules, string text)
    {
        var result = new StringBuilder();
        var i = 0;
        while (i < text.Length)
        {
            var best = rules.Where(r => i + r.Word.Length <= text.Length && string.CompareOrdinal(text, i, r.Word, 0, r.Word.Length) == 0)
                .OrderByDescending(static r => r.Word.Length)
                .FirstOrDefault();
            if (best.Word is null)
            {
                result.Append(text[i]);
                i++;
            }
            else
            {
                result.Append(best.Replacement);
                i += best.Word.Length;
            }
        }

        return result.ToString();
    }
}
