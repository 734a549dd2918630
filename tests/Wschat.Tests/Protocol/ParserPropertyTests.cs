using System.Buffers;
using System.Text;
using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;
using Microsoft.AspNetCore.SignalR.Protocol;
using Wschat.RawAdapter.Protocol;
using static Wschat.Tests.Protocol.ProtocolHarness;

namespace Wschat.Tests.Protocol;

/// <summary>Whatever a client sends, the parser answers with an invocation or an error, consumes exactly one record, and never throws.</summary>
public sealed class ParserPropertyTests
{
    /// <summary>A record that follows the one under test: the parser must leave it untouched.</summary>
    private static readonly byte[] Next = Text("{\"type\":\"hello\"}");

    [Property(MaxTest = 2000)]
    public void Arbitrary_bytes_in_any_frame_kind_parse_to_a_message(byte[] payload, byte kind) =>
        AssertParses((WschatFrameKind)(kind % 3), payload ?? []);

    [Property(MaxTest = 1000)]
    public void Arbitrary_strings_parse_to_a_message(string text) =>
        AssertParses(WschatFrameKind.Text, Encoding.UTF8.GetBytes(text ?? ""));

    [Property(MaxTest = 3000)]
    public Property Json_like_frames_parse_to_a_message() =>
        Prop.ForAll(WschatFrameGen.AnyFrame.ToArbitrary(), static frame => AssertParses(WschatFrameKind.Text, frame));

    [Property(MaxTest = 300)]
    public Property Deeply_nested_frames_parse_to_a_message() =>
        Prop.ForAll(WschatFrameGen.DeepNesting.ToArbitrary(), static frame => AssertParses(WschatFrameKind.Text, frame));

    [Property(MaxTest = 500)]
    public Property A_record_split_across_segments_parses_as_it_does_in_one() =>
        Prop.ForAll(
            WschatFrameGen.AnyFrame.ToArbitrary(),
            ArbMap.Default.ArbFor<int[]>(),
            static (frame, cuts) =>
            {
                var record = Record(WschatFrameKind.Text, frame);
                var whole = Describe(ParseFirst(new ReadOnlySequence<byte>(record), record.Length));
                var split = Describe(ParseFirst(Segmented(record, cuts ?? []), record.Length));
                Assert.Equal(whole, split);
            });

    [Property(MaxTest = 500)]
    public Property Any_strict_prefix_of_a_record_is_left_whole_for_later() =>
        Prop.ForAll(
            WschatFrameGen.AnyFrame.ToArbitrary(),
            ArbMap.Default.ArbFor<NonNegativeInt>(),
            static (frame, cut) =>
            {
                var record = Record(WschatFrameKind.Text, frame);
                var input = new ReadOnlySequence<byte>(record, 0, cut.Get % record.Length);

                Assert.False(WschatProtocol.TryParseMessage(ref input, Binder, out _));
                Assert.Equal(cut.Get % record.Length, input.Length);
            });

    /// <summary>
    /// The record parses to an invocation the hub can bind (its arguments of the method's types) or to
    /// a refusal written as a wschat error; exactly the record is consumed and the next stays.
    /// </summary>
    private static void AssertParses(WschatFrameKind kind, byte[] payload)
    {
        var record = Record(kind, payload);
        var message = ParseFirst(new ReadOnlySequence<byte>([.. record, .. Next]), record.Length);

        switch (message)
        {
            case InvocationMessage { Target: WschatHubProtocol.RefusalMethod }:
                Assert.Matches("^\\{\"type\":\"error\",\"code\":1\\d{3},\"msg\":\"", Describe(message));
                break;
            case InvocationMessage invocation:
                var types = Binder.GetParameterTypes(invocation.Target);
                Assert.Equal(types.Count, invocation.Arguments.Length);
                Assert.All(invocation.Arguments.Zip(types), static a => Assert.IsAssignableFrom(a.Second, a.First));
                break;
            default:
                Assert.Fail($"unexpected {message.GetType().Name}");
                break;
        }
    }
}
