using Wschat.Hub.Moderation;

namespace Wschat.Tests.Moderation;

public sealed class BadWordRulesTests
{
    [Fact]
    public void Rules_are_read_one_per_line_with_CRLF_or_bare_LF_and_the_last_rule_for_a_word_wins()
    {
        var rules = BadWordRules.Parse("禁词1=好词1\r\n删除1=\r\n\r\na=b=c\n禁词1=后来的\n");

        Assert.Equal(
            [new("禁词1", "后来的"), new("删除1", ""), new("a", "b=c")],
            rules.OrderBy(static r => r.Word == "禁词1" ? 0 : r.Word == "删除1" ? 1 : 2).ToArray());
    }

    // Built in code and not enumerated at discovery: attribute arguments and serialized test cases cannot carry lone surrogates.
    public static TheoryData<string, int> MalformedLists => new()
    {
        { "no equals sign\r\n", 1 },
        { "ok=fine\r\n=empty word\r\n", 2 },
        { "ok=fine\n" + '\ud83d' + "=lone high surrogate\n", 2 },
        { "a=" + '\udc00' + "\n", 1 },
    };

    [Theory]
    [MemberData(nameof(MalformedLists), DisableDiscoveryEnumeration = true)]
    public void A_malformed_line_is_refused_with_its_line_number(string body, int line)
    {
        var error = Assert.Throws<FormatException>(() => BadWordRules.Parse(body));
        Assert.StartsWith($"line {line}:", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Blank_and_whitespace_only_lines_are_skipped_and_keep_the_line_count()
    {
        Assert.Equal([new("坏", "好")], BadWordRules.Parse("\r\n  \n\t\r\n坏=好\r\n\r\n"));

        var error = Assert.Throws<FormatException>(() => BadWordRules.Parse("\r\n \n坏"));
        Assert.Equal("line 3: expected word=replacement, found no '='", error.Message);
    }

    [Fact]
    public void An_empty_body_is_an_empty_list() => Assert.Empty(BadWordRules.Parse(""));
}
