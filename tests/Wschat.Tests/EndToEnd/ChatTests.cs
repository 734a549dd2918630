using System.Text.Json;
using Wschat.Tests.Infrastructure;

namespace Wschat.Tests.EndToEnd;

public sealed class ChatTests(SingleNodeFixture fixture) : IClassFixture<SingleNodeFixture>
{
    public static TheoryData<ClientKind> Kinds => ChatClients.Kinds;

    [Theory]
    [MemberData(nameof(Kinds))]
    public async Task Danmu_reaches_every_member_of_the_room_with_the_sender_uid_as_a_string(ClientKind kind)
    {
        var room = SingleNodeFixture.NewRoom();
        await using var raw = await RawClient.ConnectAsync(fixture.Node.RawUri);
        await using var sender = await fixture.ConnectAsync(kind);
        await using var outsider = await RawClient.ConnectAsync(fixture.Node.RawUri);
        await raw.JoinAsync(room);
        await sender.JoinAsync(room);
        await raw.ReceiveAsync("event");

        await sender.SendAsync("danmu", new { text = "测试发送弹幕😀" });

        foreach (var danmu in new[] { await raw.ReceiveAsync("danmu"), await sender.ReceiveAsync("danmu") })
        {
            AssertFields(danmu, ("type", "danmu"), ("text", "测试发送弹幕😀"), ("uid", sender.UidText), ("avatar", ""), ("username", ""));
        }

        await outsider.AssertNothingPendingAsync();
    }

    [Fact]
    public async Task Text_goes_out_as_UTF8_never_as_unicode_escapes()
    {
        var room = SingleNodeFixture.NewRoom();
        await using var client = await RawClient.ConnectAsync(fixture.Node.RawUri);
        await client.JoinAsync(room);

        await client.SendAsync("text", new { text = "中文和表情🎉👍" });
        await client.ReceiveAsync("text");

        Assert.Contains("中文和表情🎉👍", client.LastText, StringComparison.Ordinal);
        Assert.DoesNotContain("\\u", client.LastText, StringComparison.Ordinal);
    }

    [Theory]
    [MemberData(nameof(Kinds))]
    public async Task Login_answers_the_sender_announces_the_user_and_shapes_text_and_danmu(ClientKind kind)
    {
        var room = SingleNodeFixture.NewRoom();
        await using var watcher = await RawClient.ConnectAsync(fixture.Node.RawUri);
        await using var user = await fixture.ConnectAsync(kind);
        await watcher.JoinAsync(room);
        await user.JoinAsync(room);
        await watcher.ReceiveAsync("event");

        await user.SendAsync("text", new { text = "未登录" });
        var anonymous = await watcher.ReceiveAsync("text");
        Assert.False(anonymous.TryGetProperty("userid", out _));
        Assert.False(anonymous.TryGetProperty("userinfo", out _));
        await user.ReceiveAsync("text");

        await user.SendAsync("login", new { uname = "用户61396", avatar = "https://a/61396.png", loginid = "uid61396", info = "这家伙很懒" });
        AssertFields(await user.ReceiveAsync("login"), ("type", "login"), ("result", "success"));
        var login = await watcher.ReceiveAsync("event");
        Assert.Equal("login", login.GetProperty("event").GetString());
        AssertFields(login, ("username", "用户61396"), ("avatar", "https://a/61396.png"), ("userid", "uid61396"), ("userinfo", "这家伙很懒"));
        Assert.Equal(JsonValueKind.Number, login.GetProperty("time").ValueKind);
        Assert.InRange(login.GetProperty("time").GetInt64(), DateTimeOffset.UtcNow.ToUnixTimeSeconds() - 60, DateTimeOffset.UtcNow.ToUnixTimeSeconds() + 1);
        Assert.Equal(2, login.GetProperty("userscount").GetInt32());
        Assert.Equal(1, login.GetProperty("loginedcount").GetInt32());
        await user.ReceiveAsync("event");

        await user.SendAsync("text", new { text = "我要聊天" });
        AssertFields(await watcher.ReceiveAsync("text"), ("text", "我要聊天"), ("uid", user.UidText), ("userid", "uid61396"), ("avatar", "https://a/61396.png"), ("username", "用户61396"), ("userinfo", "这家伙很懒"));
        await user.SendAsync("danmu", new { text = "弹幕" });
        AssertFields(await watcher.ReceiveSkippingAsync("danmu"), ("avatar", "https://a/61396.png"), ("username", "用户61396"));
    }

    [Fact]
    public async Task Login_state_belongs_to_the_connection_and_survives_room_changes()
    {
        var (first, second) = (SingleNodeFixture.NewRoom(), SingleNodeFixture.NewRoom());
        await using var watcher = await RawClient.ConnectAsync(fixture.Node.RawUri);
        await using var user = await RawClient.ConnectAsync(fixture.Node.RawUri);
        await watcher.JoinAsync(second);
        await user.JoinAsync(first);
        await user.SendAsync("login", new { uname = "旅行者", avatar = "", loginid = "t1", info = "" });
        await user.ReceiveSkippingAsync("event", static e => e.GetProperty("event").GetString() == "login");

        await user.SendAsync("join", new { room = second });

        var joined = await watcher.ReceiveAsync("event");
        RoomTests.AssertEvent(joined, "joinroom", user.Uid, usersCount: 2, loginedCount: 1);
        await user.SendAsync("danmu", new { text = "我还登录着" });
        Assert.Equal("旅行者", (await watcher.ReceiveAsync("danmu")).GetProperty("username").GetString());
    }

    [Fact]
    public async Task Logout_answers_the_sender_and_tells_the_room_with_the_former_name()
    {
        var room = SingleNodeFixture.NewRoom();
        await using var watcher = await RawClient.ConnectAsync(fixture.Node.RawUri);
        await using var user = await RawClient.ConnectAsync(fixture.Node.RawUri);
        await watcher.JoinAsync(room);
        await user.JoinAsync(room);
        await user.SendAsync("login", new { uname = "要走的", avatar = "", loginid = "l", info = "" });
        await watcher.ReceiveSkippingAsync("event", static e => e.GetProperty("event").GetString() == "login");

        await user.SendAsync("logout");

        AssertFields(await user.ReceiveSkippingAsync("logout"), ("result", "success"));
        var logout = await watcher.ReceiveAsync("event");
        RoomTests.AssertEvent(logout, "logout", user.Uid, usersCount: 2, loginedCount: 0);
        Assert.Equal("要走的", logout.GetProperty("username").GetString());
        await user.SendAsync("danmu", new { text = "匿名了" });
        Assert.Equal("", (await watcher.ReceiveAsync("danmu")).GetProperty("username").GetString());
    }

    [Theory]
    [MemberData(nameof(Kinds))]
    public async Task Userlist_lists_the_logged_in_members_of_the_room_with_string_fields(ClientKind kind)
    {
        var room = SingleNodeFixture.NewRoom();
        await using var asker = await fixture.ConnectAsync(kind);
        await using var loggedIn = await RawClient.ConnectAsync(fixture.Node.RawUri);
        await using var anonymous = await RawClient.ConnectAsync(fixture.Node.RawUri);
        await using var otherRoom = await RawClient.ConnectAsync(fixture.Node.RawUri);
        await asker.JoinAsync(room);
        await loggedIn.JoinAsync(room);
        await anonymous.JoinAsync(room);
        await otherRoom.JoinAsync(SingleNodeFixture.NewRoom());
        foreach (var client in new[] { loggedIn, otherRoom })
        {
            await client.SendAsync("login", new { uname = "列表" + client.UidText, avatar = "a", loginid = "id" + client.UidText, info = "i" });
            await client.ReceiveSkippingAsync("login");
        }

        await asker.SendAsync("userlist");

        var list = await asker.ReceiveSkippingAsync("userlist");
        Assert.Equal(1, list.GetProperty("count").GetInt32());
        var entry = Assert.Single(list.GetProperty("users").EnumerateArray().ToArray());
        AssertFields(entry, ("uid", loggedIn.UidText), ("ip", "127.0.0.1"), ("avatar", "a"), ("userid", "id" + loggedIn.UidText), ("userinfo", "i"), ("username", "列表" + loggedIn.UidText));
        Assert.Equal(JsonValueKind.String, entry.GetProperty("time").ValueKind);
        Assert.True(long.TryParse(entry.GetProperty("time").GetString(), out _));
    }

    /// <summary>Each field is a JSON string with the given value.</summary>
    internal static void AssertFields(JsonElement message, params (string Name, string Value)[] fields)
    {
        foreach (var (name, value) in fields)
        {
            Assert.True(message.TryGetProperty(name, out var field), $"missing \"{name}\" in {message}");
            Assert.Equal(JsonValueKind.String, field.ValueKind);
            Assert.Equal(value, field.GetString());
        }
    }
}
