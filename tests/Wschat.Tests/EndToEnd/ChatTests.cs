using System.Text;
using Wschat.Tests.Infrastructure;

namespace Wschat.Tests.EndToEnd;

/// <summary>danmu and text to the room, and text on the wire as plain UTF-8.</summary>
public sealed class ChatTests(SingleNodeFixture fixture) : IClassFixture<SingleNodeFixture>
{
    /// <summary>Chinese, emoji (surrogate pairs), characters JSON must escape and characters HTML encoders would.</summary>
    private const string Awkward = "中文弹幕😀🎉👍 \"引号\" 反斜杠\\ <b>&'+ 换行\n结束";

    public static TheoryData<ClientKind> Kinds => ChatClients.Kinds;

    public static TheoryData<string> RoomMessageTypes => ["danmu", "text"];

    public static TheoryData<string> TextMessageTypes => ["danmu", "text", "sendto"];

    [Theory]
    [MemberData(nameof(Kinds))]
    public async Task Danmu_reaches_every_member_of_the_room_the_sender_included_with_its_uid_as_a_string_and_no_other_room(ClientKind kind)
    {
        var room = SingleNodeFixture.NewRoom();
        await using var watcher = await fixture.ConnectRawAsync();
        await using var sender = await fixture.ConnectAsync(kind);
        await using var elsewhere = await fixture.ConnectRawAsync();
        await using var nowhere = await fixture.ConnectAsync(ClientKind.Json);
        await ChatClients.JoinAllAsync(room, watcher, sender);
        await elsewhere.JoinAsync(SingleNodeFixture.NewRoom());

        await sender.SendAsync("danmu", new { text = "测试发送弹幕" });

        WireAssert.Chat(await watcher.ReceiveAsync("danmu"), "danmu", "测试发送弹幕", sender);
        WireAssert.Chat(await sender.ReceiveAsync("danmu"), "danmu", "测试发送弹幕", sender);
        await elsewhere.AssertNothingPendingAsync();
        await nowhere.AssertNothingPendingAsync();
    }

    [Theory]
    [MemberData(nameof(Kinds))]
    public async Task Text_from_a_sender_not_logged_in_reaches_the_room_without_userid_or_userinfo(ClientKind kind)
    {
        var room = SingleNodeFixture.NewRoom();
        await using var watcher = await fixture.ConnectRawAsync();
        await using var sender = await fixture.ConnectAsync(kind);
        await using var elsewhere = await fixture.ConnectRawAsync();
        await ChatClients.JoinAllAsync(room, watcher, sender);
        await elsewhere.JoinAsync(SingleNodeFixture.NewRoom());

        await sender.SendAsync("text", new { text = "我要聊天" });

        WireAssert.Chat(await watcher.ReceiveAsync("text"), "text", "我要聊天", sender);
        WireAssert.Chat(await sender.ReceiveAsync("text"), "text", "我要聊天", sender);
        await elsewhere.AssertNothingPendingAsync();
    }

    [Theory]
    [MemberData(nameof(Kinds))]
    public async Task Text_from_a_logged_in_sender_carries_its_userid_avatar_username_and_userinfo_and_danmu_its_avatar_and_username(ClientKind kind)
    {
        var room = SingleNodeFixture.NewRoom();
        var profile = Profile.Of("84603");
        await using var watcher = await fixture.ConnectRawAsync();
        await using var sender = await fixture.ConnectAsync(kind);
        await ChatClients.JoinAllAsync(room, watcher, sender);
        await sender.LogInAsync(profile, [watcher, sender], loginedCount: 1);

        await sender.SendAsync("text", new { text = "我要聊天" });
        WireAssert.Chat(await watcher.ReceiveAsync("text"), "text", "我要聊天", sender, profile);
        await sender.SendAsync("danmu", new { text = "弹幕" });
        WireAssert.Chat(await watcher.ReceiveAsync("danmu"), "danmu", "弹幕", sender, profile);
    }

    [Theory]
    [MemberData(nameof(RoomMessageTypes))]
    public async Task Room_messages_from_every_protocol_reach_every_protocol_in_one_room(string type)
    {
        var room = SingleNodeFixture.NewRoom();
        await using var raw = await fixture.ConnectRawAsync();
        await using var json = await fixture.ConnectAsync(ClientKind.Json);
        await using var messagePack = await fixture.ConnectAsync(ClientKind.MessagePack);
        IChatClient[] all = [raw, json, messagePack];
        await ChatClients.JoinAllAsync(room, all);

        foreach (var sender in all)
        {
            var text = $"来自{sender.UidText}的消息";
            await sender.SendAsync(type, new { text });
            foreach (var member in all)
            {
                WireAssert.Chat(await member.ReceiveAsync(type), type, text, sender);
            }
        }
    }

    [Theory]
    [MemberData(nameof(TextMessageTypes))]
    public async Task Chinese_text_and_emoji_arrive_byte_exact_as_UTF8_never_as_unicode_escapes(string type)
    {
        var room = SingleNodeFixture.NewRoom();
        await using var sender = await fixture.ConnectRawAsync();
        await using var receiver = await fixture.ConnectRawAsync();
        await ChatClients.JoinAllAsync(room, sender, receiver);

        await sender.SendAsync(type, type == "sendto" ? new { text = Awkward, touids = receiver.UidText } : new { text = Awkward });

        WireAssert.Chat(await receiver.ReceiveAsync(type), type, Awkward, sender);
        AssertPlainUtf8(receiver.LastText, "中文弹幕😀🎉👍", "<b>&'+");
    }

    [Fact]
    public async Task Unicode_escapes_a_client_sends_go_out_as_plain_UTF8()
    {
        var room = SingleNodeFixture.NewRoom();
        await using var sender = await fixture.ConnectRawAsync();
        await using var receiver = await fixture.ConnectRawAsync();
        await ChatClients.JoinAllAsync(room, sender, receiver);

        await sender.SendTextAsync("{\"type\":\"danmu\",\"text\":\"\\u4e2d\\u6587\\ud83d\\ude00\"}");

        WireAssert.Chat(await receiver.ReceiveAsync("danmu"), "danmu", "中文😀", sender);
        AssertPlainUtf8(receiver.LastText, "中文😀");
    }

    [Fact]
    public async Task Login_names_and_the_userlist_go_out_as_plain_UTF8()
    {
        var room = SingleNodeFixture.NewRoom();
        var profile = Profile.Of("表情😀");
        await using var user = await fixture.ConnectRawAsync();
        await user.JoinAsync(room);

        await user.LogInAsync(profile);
        await user.ReceiveAsync("event");
        AssertPlainUtf8(user.LastText, profile.Uname, profile.Info);
        await user.SendAsync("userlist");
        await user.ReceiveAsync("userlist");
        AssertPlainUtf8(user.LastText, profile.Uname, profile.Info);
        await user.SendAsync("logout");
        await user.ReceiveAsync("logout");
        await user.ReceiveAsync("event");
        AssertPlainUtf8(user.LastText, profile.Uname);
    }

    [Fact]
    public async Task Message_types_are_matched_case_insensitively_and_answered_in_lowercase()
    {
        var room = SingleNodeFixture.NewRoom();
        await using var sender = await fixture.ConnectRawAsync();
        await sender.SendTextAsync($"{{\"type\":\"JOIN\",\"room\":\"{room}\"}}");
        WireAssert.Event(await sender.ReceiveAsync("event"), "joinroom", sender.Uid, usersCount: 1, loginedCount: 0);

        await sender.SendTextAsync("{\"type\":\"Danmu\",\"text\":\"大小写\"}");

        WireAssert.Chat(await sender.ReceiveAsync("danmu"), "danmu", "大小写", sender);
    }

    /// <summary>The frame holds each piece as UTF-8 bytes, as-is, and no <c>\u</c> escape at all.</summary>
    private static void AssertPlainUtf8(string frame, params string[] pieces)
    {
        var bytes = Encoding.UTF8.GetBytes(frame);
        foreach (var piece in pieces)
        {
            Assert.True(bytes.AsSpan().IndexOf(Encoding.UTF8.GetBytes(piece)) >= 0, $"\"{piece}\" is not in {frame} as UTF-8");
        }

        Assert.DoesNotContain("\\u", frame, StringComparison.Ordinal);
    }
}
