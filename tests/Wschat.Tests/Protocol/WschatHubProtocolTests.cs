using System.Buffers;
using Microsoft.AspNetCore.SignalR.Protocol;
using Wschat.Contracts;
using Wschat.RawAdapter.Protocol;
using static Wschat.Tests.Protocol.ProtocolHarness;

namespace Wschat.Tests.Protocol;

public sealed class WschatHubProtocolTests
{
    private static HubMessage Parse(byte[] record)
    {
        var input = new ReadOnlySequence<byte>(record);
        Assert.True(WschatProtocol.TryParseMessage(ref input, Binder, out var message));
        Assert.True(input.IsEmpty, "the whole record is consumed");
        return message!;
    }

    [Fact]
    public void A_type_names_the_method_case_insensitively_and_the_other_fields_bind_to_its_parameter()
    {
        var invocation = Assert.IsType<InvocationMessage>(Parse(Text("{\"type\":\"JOIN\",\"room\":\"videoroom_001\",\"extra\":1}")));

        Assert.Equal("JOIN", invocation.Target);
        Assert.Equal(new JoinRequest { Room = "videoroom_001" }, Assert.Single(invocation.Arguments));
        Assert.NotNull(invocation.InvocationId);
    }

    [Fact]
    public void A_method_without_parameters_binds_with_no_arguments() =>
        Assert.Empty(Assert.IsType<InvocationMessage>(Parse(Text("{\"type\":\"hello\"}"))).Arguments);

    [Theory]
    [InlineData("setbadwords:\r\n禁词1=好词1\r\n删除1=\r\n", "禁词1=好词1\r\n删除1=\r\n")]
    [InlineData("setbadwords:\n禁词=好词\n", "禁词=好词\n")]
    [InlineData("setbadwords:", "")]
    public void Command_text_binds_its_body_as_the_string_argument(string frame, string body)
    {
        var invocation = Assert.IsType<InvocationMessage>(Parse(Text(frame)));

        Assert.Equal("setbadwords", invocation.Target);
        Assert.Equal(body, Assert.Single(invocation.Arguments));
    }

    [Theory]
    [InlineData("{\"type\":\"danmu\",", WschatErrorCodes.MalformedJson)]
    [InlineData("[]", WschatErrorCodes.NotAMessage)]
    [InlineData("{\"type\":\"nope\"}", WschatErrorCodes.UnknownType)]
    [InlineData("nope:\r\nbody", WschatErrorCodes.UnknownType)]
    [InlineData("{\"type\":\"danmu\",\"text\":1}", WschatErrorCodes.InvalidFields)]
    [InlineData("danmu:\r\nnot an object", WschatErrorCodes.InvalidFields)]
    [InlineData("{\"type\":\"setbadwords\"}", WschatErrorCodes.InvalidFields)]
    [InlineData("{\"\\ud800\":1}", WschatErrorCodes.MalformedJson)]
    [InlineData("{\"type\":\"danmu\",\"text\":\"\\ud800\"}", WschatErrorCodes.InvalidFields)]
    public void A_refused_frame_becomes_a_binding_failure_whose_completion_is_a_wschat_error(string frame, int code)
    {
        var failure = Assert.IsType<InvocationBindingFailureMessage>(Parse(Text(frame)));

        var written = Write(CompletionMessage.WithError(failure.InvocationId!, "ignored"));

        Assert.StartsWith($"{{\"type\":\"error\",\"code\":{code},\"msg\":\"", written, StringComparison.Ordinal);
        Assert.EndsWith("\"}\u001e", written, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData((byte)WschatFrameKind.Binary, WschatErrorCodes.BinaryFrame)]
    [InlineData((byte)WschatFrameKind.TooLarge, WschatErrorCodes.MessageTooLarge)]
    public void Refused_frame_kinds_from_the_transport_become_errors(byte kind, int code)
    {
        var failure = Assert.IsType<InvocationBindingFailureMessage>(Parse(Record((WschatFrameKind)kind, [])));

        Assert.Contains($"\"code\":{code},", Write(CompletionMessage.WithError(failure.InvocationId!, "x")), StringComparison.Ordinal);
    }

    [Fact]
    public void A_hub_fault_on_a_raw_invocation_is_written_as_a_server_error()
    {
        var written = Write(CompletionMessage.WithError("w", "An unexpected error occurred invoking 'danmu' on the server."));

        Assert.StartsWith($"{{\"type\":\"error\",\"code\":{WschatErrorCodes.ServerError},", written, StringComparison.Ordinal);
    }

    [Fact]
    public void A_client_method_call_is_written_as_type_plus_payload_fields_in_UTF8()
    {
        var danmu = new DanmuMessage { Text = "测试发送弹幕😀", Uid = "1412956275600", Avatar = "", Username = "" };

        Assert.Equal(
            "{\"type\":\"danmu\",\"text\":\"测试发送弹幕😀\",\"uid\":\"1412956275600\",\"avatar\":\"\",\"username\":\"\"}\u001e",
            Write(new InvocationMessage("danmu", [danmu])));
    }

    [Fact]
    public void Optional_fields_are_left_out_and_numbers_stay_numbers()
    {
        var joined = new RoomEvent { Event = "joinroom", Uid = 1412956275600, UsersCount = 1, LoginedCount = 0, Ip = "192.168.1.202" };

        Assert.Equal(
            "{\"type\":\"event\",\"event\":\"joinroom\",\"uid\":1412956275600,\"userscount\":1,\"loginedcount\":0,\"ip\":\"192.168.1.202\"}\u001e",
            Write(new InvocationMessage("event", [joined])));
    }

    [Fact]
    public void Pings_closes_and_successful_completions_write_nothing()
    {
        Assert.Equal("", Write(PingMessage.Instance));
        Assert.Equal("", Write(CloseMessage.Empty));
        Assert.Equal("", Write(CompletionMessage.Empty("w")));
    }

    [Fact]
    public void An_incomplete_record_is_left_for_later()
    {
        var record = Text("{\"type\":\"hello\"}");
        var input = new ReadOnlySequence<byte>(record, 0, record.Length - 1);

        Assert.False(WschatProtocol.TryParseMessage(ref input, Binder, out _));
        Assert.Equal(record.Length - 1, input.Length);
    }
}
