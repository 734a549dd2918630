using System.Buffers;
using System.Text;
using System.Text.Json;
using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;
using Wschat.RawAdapter.Protocol;
using static Wschat.Tests.Protocol.ProtocolHarness;

namespace Wschat.Tests.Protocol;

/// <summary>Whatever a client sends, the parser answers with a message and never throws.</summary>
public sealed class ParserPropertyTests
{
    private static readonly JsonSerializerOptions Utf8Json = new() { Encoder = Utf8PassthroughJavaScriptEncoder.Instance };

    private static readonly string[] Fragments =
    [
        "{", "}", "[", "]", ":", ",", "\"type\"", "\"danmu\"", "\"join\"", "\"sendto\"", "\"setbadwords\"", "\"text\"", "\"room\"",
        "\"touids\"", "null", "true", "1", "-0.5e9", "\"\\ud800\"", "\"\\u0000\"", "\"😀\"", "\"中文\"", "setbadwords:", "\r\n", "=", " ",
    ];

    [Property(MaxTest = 2000)]
    public void Arbitrary_bytes_parse_to_a_message_and_consume_exactly_their_record(byte[] payload, bool binary) =>
        AssertParses(binary ? WschatFrameKind.Binary : WschatFrameKind.Text, payload);

    [Property(MaxTest = 2000)]
    public void Arbitrary_strings_parse_to_a_message(string text) =>
        AssertParses(WschatFrameKind.Text, Encoding.UTF8.GetBytes(text ?? ""));

    [Property(MaxTest = 3000)]
    public Property Json_like_frames_parse_to_a_message() =>
        Prop.ForAll(
            Gen.ArrayOf(Gen.Elements(Fragments)).Select(static parts => string.Concat(parts)).ToArbitrary(),
            static frame => AssertParses(WschatFrameKind.Text, Encoding.UTF8.GetBytes(frame)));

    [Property(MaxTest = 500)]
    public Property Well_formed_messages_with_any_text_bind_or_are_refused_but_never_throw() =>
        Prop.ForAll(
            ArbMap.Default.GeneratorFor<string>().Where(static s => s is not null).ToArbitrary(),
            static text => AssertParses(WschatFrameKind.Text, JsonSerializer.SerializeToUtf8Bytes(new { type = "danmu", text })));

    [Property(MaxTest = 1000)]
    public void The_encoder_round_trips_any_valid_text_and_escapes_nothing_but_JSON_syntax(string text)
    {
        var valid = new string((text ?? "").Where(static c => !char.IsSurrogate(c)).ToArray()) + "😀中文";
        var json = JsonSerializer.Serialize(valid, Utf8Json);

        Assert.Equal(valid, JsonSerializer.Deserialize<string>(json));
        Assert.Contains("😀中文", json, StringComparison.Ordinal);
    }

    private static void AssertParses(WschatFrameKind kind, byte[] payload)
    {
        var record = Record(kind, payload);
        var input = new ReadOnlySequence<byte>(record);

        Assert.True(WschatProtocol.TryParseMessage(ref input, Binder, out var message));
        Assert.NotNull(message);
        Assert.True(input.IsEmpty);
    }
}
