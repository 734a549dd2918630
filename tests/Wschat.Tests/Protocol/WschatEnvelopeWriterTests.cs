using System.Buffers;
using System.Text;
using System.Text.Encodings.Web;
using Wschat.Client.Protocol;
using Wschat.Contracts;
using Wschat.RawAdapter.Protocol;

namespace Wschat.Tests.Protocol;

/// <summary>The raw <c>{"type":T,...payload}</c> envelope, written in one place for the server's protocol and the SDK's raw connection.</summary>
public sealed class WschatEnvelopeWriterTests
{
    private static readonly WschatEnvelopeWriter Server = new(ContractSerializer.CreateOptions(Utf8PassthroughJavaScriptEncoder.Instance));

    [Fact]
    public void The_type_comes_first_and_the_payloads_fields_follow_it_in_order()
    {
        Assert.Equal("{\"type\":\"join\",\"room\":\"r1\",\"offsets\":true}", Write(Server, "join", new JoinRequest { Room = "r1", Offsets = true }));
        Assert.Equal("{\"type\":\"login\",\"uname\":\"u\",\"avatar\":\"\",\"loginid\":\"\",\"info\":\"\"}", Write(Server, "login", new LoginRequest { Uname = "u" }));
    }

    [Fact]
    public void Without_a_payload_or_with_an_empty_one_the_message_is_its_type_alone()
    {
        Assert.Equal("{\"type\":\"leave\"}", Write(Server, "leave"));
        Assert.Equal("{\"type\":\"leave\"}", Write(Server, "leave", new { }));
    }

    [Fact]
    public void A_payload_that_is_not_an_object_or_several_go_as_args()
    {
        Assert.Equal("{\"type\":\"t\",\"args\":[\"x\"]}", Write(Server, "t", "x"));
        Assert.Equal("{\"type\":\"t\",\"args\":[1,null]}", Write(Server, "t", 1, null));
        Assert.Equal("{\"type\":\"t\",\"args\":[null]}", Write(Server, "t", [null]));
    }

    [Fact]
    public void Text_is_written_by_the_payload_options_encoder_the_servers_keeping_emoji_as_UTF8_the_SDKs_escaping_them_as_before()
    {
        var danmu = new TextRequest { Text = "弹幕😀 \"q\"" };

        Assert.Equal("{\"type\":\"danmu\",\"text\":\"弹幕😀 \\\"q\\\"\"}", Write(Server, "danmu", danmu));
        Assert.Equal("{\"type\":\"danmu\",\"text\":\"弹幕\\uD83D\\uDE00 \\\"q\\\"\"}", Write(ClientJson.Envelope, "danmu", danmu));
    }

    [Fact]
    public void Writing_a_message_of_a_type_written_before_allocates_nothing()
    {
        var danmu = new DanmuMessage { Text = "测试发送弹幕 danmu 😀", Uid = "1412956275600", Avatar = "", Username = "用户61396" };
        object?[] arguments = [danmu];
        var output = new ArrayBufferWriter<byte>(1024);
        Server.Write(output, "danmu", arguments);

        var before = GC.GetAllocatedBytesForCurrentThread();
        for (var i = 0; i < 1000; i++)
        {
            output.ResetWrittenCount();
            Server.Write(output, "danmu", arguments);
        }

        var allocated = GC.GetAllocatedBytesForCurrentThread() - before;

        Assert.Equal(0, allocated);
        Assert.Equal("{\"type\":\"danmu\",\"text\":\"测试发送弹幕 danmu 😀\",\"uid\":\"1412956275600\",\"avatar\":\"\",\"username\":\"用户61396\"}", Encoding.UTF8.GetString(output.WrittenSpan));
    }

    private static string Write(WschatEnvelopeWriter writer, string type, params object?[] arguments)
    {
        var output = new ArrayBufferWriter<byte>();
        writer.Write(output, type, arguments);
        return Encoding.UTF8.GetString(output.WrittenSpan);
    }
}
