using System.Buffers;
using System.Text.Json;
using Microsoft.AspNetCore.SignalR.Protocol;
using Wschat.Contracts;
using Wschat.RawAdapter.Protocol;
using static Wschat.Tests.Protocol.ProtocolHarness;

namespace Wschat.Tests.Protocol;

public sealed class WschatHubProtocolTests
{
    [Fact]
    public void A_type_names_the_method_case_insensitively_and_the_other_fields_bind_to_its_parameter()
    {
        var invocation = Assert.IsType<InvocationMessage>(Parse(Text("{\"type\":\"JOIN\",\"room\":\"videoroom_001\",\"extra\":1}")));

        Assert.Equal("JOIN", invocation.Target);
        Assert.Equal(new JoinRequest { Room = "videoroom_001" }, Assert.Single(invocation.Arguments));
        Assert.NotNull(invocation.InvocationId);
    }

    [Theory]
    [InlineData("\"1412956275248\"", new[] { "1412956275248" })]
    [InlineData("1412956275248", new[] { "1412956275248" })]
    [InlineData("[\"1\",2]", new[] { "1", "2" })]
    public void Sendto_binds_its_text_and_touids_given_as_a_string_a_number_or_an_array(string touids, string[] bound)
    {
        var invocation = Assert.IsType<InvocationMessage>(Parse(Text($"{{\"type\":\"SendTo\",\"text\":\"私密消息😀\",\"touids\":{touids}}}")));

        var request = Assert.IsType<SendToRequest>(Assert.Single(invocation.Arguments));
        Assert.Equal("私密消息😀", request.Text);
        Assert.Equal(bound, request.ToUids);
    }

    [Fact]
    public void Login_binds_its_fields_and_leaves_the_optional_ones_empty()
    {
        var invocation = Assert.IsType<InvocationMessage>(Parse(Text("{\"type\":\"login\",\"uname\":\"用户61396\"}")));

        Assert.Equal(new LoginRequest { Uname = "用户61396" }, Assert.Single(invocation.Arguments));
    }

    [Theory]
    [InlineData("hello")]
    [InlineData("leave")]
    [InlineData("logout")]
    [InlineData("UserList")]
    public void A_method_without_parameters_binds_with_no_arguments(string type) =>
        Assert.Empty(Assert.IsType<InvocationMessage>(Parse(Text($"{{\"type\":\"{type}\",\"ignored\":[1]}}"))).Arguments);

    [Theory]
    [InlineData("setbadwords:\r\n禁词1=好词1\r\n删除1=\r\n", "禁词1=好词1\r\n删除1=\r\n")]
    [InlineData("setbadwords:\n禁词=好词\n", "禁词=好词\n")]
    [InlineData("SetBadWords:\r\n😀=\r\n", "😀=\r\n")]
    [InlineData("setbadwords:\n", "")]
    [InlineData("setbadwords:", "")]
    public void Command_text_binds_its_body_as_the_string_argument(string frame, string body)
    {
        var invocation = Assert.IsType<InvocationMessage>(Parse(Text(frame)));

        Assert.Equal("setbadwords", invocation.Target, ignoreCase: true);
        Assert.Equal(body, Assert.Single(invocation.Arguments));
    }

    [Theory]
    [InlineData("{\"type\":\"danmu\",", ErrorCodes.MalformedJson)]
    [InlineData("{\"type\":\"hello\"} {}", ErrorCodes.MalformedJson)]
    [InlineData("", ErrorCodes.MalformedJson)]
    [InlineData("{\"\\ud800\":1}", ErrorCodes.MalformedJson)]
    [InlineData("[]", ErrorCodes.NotAMessage)]
    [InlineData("{\"type\":1}", ErrorCodes.NotAMessage)]
    [InlineData("{\"type\":\"nope\"}", ErrorCodes.UnknownType)]
    [InlineData("nope:\r\nbody", ErrorCodes.UnknownType)]
    [InlineData("{\"type\":\"danmu\",\"text\":1}", ErrorCodes.InvalidFields)]
    [InlineData("{\"type\":\"danmu\"}", ErrorCodes.InvalidFields)]
    [InlineData("{\"type\":\"sendto\",\"text\":\"x\",\"touids\":{}}", ErrorCodes.InvalidFields)]
    [InlineData("danmu:\r\nnot an object", ErrorCodes.InvalidFields)]
    [InlineData("{\"type\":\"setbadwords\"}", ErrorCodes.InvalidFields)]
    [InlineData("{\"type\":\"danmu\",\"text\":\"\\ud800\"}", ErrorCodes.InvalidFields)]
    public void A_refused_frame_becomes_an_invocation_of_the_refusal_method_that_answers_a_wschat_error(string frame, int code) =>
        AssertRefusal(Parse(Text(frame)), code);

    [Theory]
    [InlineData((byte)WschatFrameKind.Binary, ErrorCodes.BinaryFrame)]
    [InlineData((byte)WschatFrameKind.TooLarge, ErrorCodes.MessageTooLarge)]
    public void Refused_frame_kinds_from_the_transport_become_errors(byte kind, int code)
        => AssertRefusal(Parse(Record((WschatFrameKind)kind, "{\"type\":\"hello\"}"u8.ToArray())), code);

    [Theory]
    [InlineData("{\"type\":\"wschat:refused\",\"code\":4003,\"reason\":\"x\"}")]
    [InlineData("{\"type\":\"WSCHAT:REFUSED\"}")]
    public void A_raw_client_cannot_name_the_refusal_method_itself(string frame) =>
        AssertRefusal(Parse(Text(frame)), ErrorCodes.UnknownType);

    [Fact]
    public void A_hub_fault_on_a_raw_invocation_is_written_as_a_server_error() =>
        Assert.Equal(
            "{\"type\":\"error\",\"code\":1500,\"msg\":\"An unexpected error occurred invoking 'danmu' on the server. 😀\\\"\"}",
            Write(CompletionMessage.WithError("w", "An unexpected error occurred invoking 'danmu' on the server. 😀\"")));

    [Fact]
    public void A_client_method_call_is_written_as_type_plus_payload_fields_in_UTF8()
    {
        var danmu = new DanmuMessage { Text = "测试发送弹幕😀", Uid = "1412956275600", Avatar = "", Username = "" };

        Assert.Equal(
            "{\"type\":\"danmu\",\"text\":\"测试发送弹幕😀\",\"uid\":\"1412956275600\",\"avatar\":\"\",\"username\":\"\"}",
            Write(new InvocationMessage("danmu", [danmu])));
    }

    [Fact]
    public void Optional_fields_are_left_out_and_numbers_stay_numbers()
    {
        var joined = new RoomEvent { Event = "joinroom", Uid = 1412956275600, UsersCount = 1, LoginedCount = 0, Ip = "192.168.1.202" };

        Assert.Equal(
            "{\"type\":\"event\",\"event\":\"joinroom\",\"uid\":1412956275600,\"userscount\":1,\"loginedcount\":0,\"ip\":\"192.168.1.202\"}",
            Write(new InvocationMessage("event", [joined])));
    }

    [Fact]
    public void Pings_closes_and_successful_completions_write_nothing()
    {
        Assert.Equal("", Write(PingMessage.Instance));
        Assert.Equal("", Write(CloseMessage.Empty));
        Assert.Equal("", Write(CompletionMessage.Empty("w")));
        Assert.Equal("", Write(CompletionMessage.WithResult("w", "ignored")));
    }

    [Theory]
    [InlineData(0)]
    [InlineData(3)]
    [InlineData(WschatFrame.HeaderSize)]
    [InlineData(WschatFrame.HeaderSize + 7)]
    public void An_incomplete_record_is_left_for_later_and_nothing_is_consumed(int available)
    {
        var record = Text("{\"type\":\"hello\"}");
        var input = new ReadOnlySequence<byte>(record, 0, available);

        Assert.False(WschatProtocol.TryParseMessage(ref input, Binder, out _));
        Assert.Equal(available, input.Length);
    }

    [Fact]
    public void Two_records_in_one_read_parse_one_at_a_time()
    {
        var input = new ReadOnlySequence<byte>([.. Text("{\"type\":\"hello\"}"), .. Text("{\"type\":\"join\",\"room\":\"r\"}")]);

        Assert.True(WschatProtocol.TryParseMessage(ref input, Binder, out var first));
        Assert.True(WschatProtocol.TryParseMessage(ref input, Binder, out var second));

        Assert.Equal("hello", Assert.IsType<InvocationMessage>(first).Target);
        Assert.Equal("join", Assert.IsType<InvocationMessage>(second).Target);
        Assert.True(input.IsEmpty);
    }

    /// <summary>Exactly <c>{"type":"error","code":N,"msg":"..."}</c>.</summary>
    private static void AssertRefusal(HubMessage message, int code)
    {
        var invocation = Assert.IsType<InvocationMessage>(message);
        Assert.Equal(WschatHubProtocol.RefusalMethod, invocation.Target);
        Assert.NotNull(invocation.InvocationId);
        AssertWschatError(Describe(invocation), code);
    }

    private static void AssertWschatError(string written, int code)
    {
        using var error = JsonDocument.Parse(written);
        Assert.Equal(["type", "code", "msg"], error.RootElement.EnumerateObject().Select(static p => p.Name));
        Assert.Equal("error", error.RootElement.GetProperty("type").GetString());
        Assert.Equal(code, error.RootElement.GetProperty("code").GetInt32());
        Assert.NotEmpty(error.RootElement.GetProperty("msg").GetString()!);
    }
}
