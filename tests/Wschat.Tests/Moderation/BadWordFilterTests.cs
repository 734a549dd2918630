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
        // Small alphabet with a surrogate pair, so matches overlap, nest and sit next to emoji.
        string[] alphabet = ["a", "b", "c", "禁", "词", "😀"];
        var random = new Random(20261123);
        string RandomText(int units)
        {
            var text = new StringBuilder();
            while (text.Length < units)
            {
                text.Append(alphabet[random.Next(alphabet.Length)]);
            }

            return text.ToString();
        }

        for (var round = 0; round < 20; round++)
        {
            var rules = Enumerable.Range(0, round == 0 ? 10_000 : random.Next(1, 300))
                .Select(_ => RandomText(random.Next(1, 9)))
                .Distinct(StringComparer.Ordinal)
                .Select(word => new BadWordRule(word, random.Next(3) == 0 ? "" : "<" + word.Length + ">"))
                .ToArray();
            var filter = BadWordFilter.Create(rules);
            for (var sample = 0; sample < (rules.Length > 1000 ? 3 : 25); sample++)
            {
                var text = RandomText(1024);
                Assert.Equal(NaiveLeftmostLongest(rules, text), filter.Apply(text));
            }
        }
    }

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
