using BenchmarkDotNet.Attributes;
using Wschat.Hub.Moderation;

namespace Wschat.MicroBench;

/// <summary>
/// The word filter on 1 KB of text against 10,000 words: with no match, and with matches; and on the
/// worst cases of 60,000 characters: every character a match (the rule <c>a</c>), and every position the
/// start of a long near-match (the rules <c>a</c> and 999 <c>a</c>s then <c>b</c>).
/// </summary>
[MemoryDiagnoser]
public class FilterBenchmarks
{
    private BadWordFilter _filter = BadWordFilter.Empty;
    private BadWordFilter _oneLetter = BadWordFilter.Empty;
    private BadWordFilter _longNearMatch = BadWordFilter.Empty;
    private string _clean = "";
    private string _dirty = "";
    private string _letters = "";

    [GlobalSetup]
    public void Setup()
    {
        var random = new Random(6);
        const string Alphabet = "的一是不了人我在有他这为之大来以个中上们到说国和地也子时道出而要于就下得可你年生";
        string Word(int length) => new([.. Enumerable.Range(0, length).Select(_ => Alphabet[random.Next(Alphabet.Length)])]);
        var words = Enumerable.Range(0, 10_000).Select(_ => "禁" + Word(random.Next(1, 5))).Distinct().ToList();
        _filter = BadWordFilter.Create(BadWordRules.Parse(string.Join("\n", words.Select(static w => w + "=**"))));
        _clean = Word(340);
        _dirty = string.Concat(Enumerable.Range(0, 20).Select(i => Word(12) + words[i]));

        _oneLetter = BadWordFilter.Create([new BadWordRule("a", "*")]);
        _longNearMatch = BadWordFilter.Create([new BadWordRule("a", "*"), new BadWordRule(new string('a', 999) + "b", "*")]);
        _letters = new string('a', 60_000);
    }

    [Benchmark]
    public string NoMatch() => _filter.Apply(_clean);

    [Benchmark]
    public string TwentyMatches() => _filter.Apply(_dirty);

    [Benchmark]
    public string EveryCharacterMatches() => _oneLetter.Apply(_letters);

    [Benchmark]
    public string LongNearMatchEverywhere() => _longNearMatch.Apply(_letters);
}
