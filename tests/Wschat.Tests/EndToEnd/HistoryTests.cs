using System.Text.Json;
using Wschat.Contracts;
using Wschat.Tests.Infrastructure;

namespace Wschat.Tests.EndToEnd;

/// <summary><c>history</c> and <c>offset</c>: a late joiner reads the room's last danmu and text; a client that asked gets each message's place.</summary>
public sealed class HistoryTests(SingleNodeFixture fixture) : IClassFixture<SingleNodeFixture>
{
    public static TheoryData<ClientKind> Kinds => ChatClients.Kinds;

    [Theory]
    [MemberData(nameof(Kinds))]
    public async Task A_late_joiner_asking_for_history_gets_the_rooms_last_danmu_and_text_with_their_offsets_and_the_epoch(ClientKind kind)
    {
        var room = SingleNodeFixture.NewRoom();
        await using var sender = await fixture.ConnectRawAsync();
        await sender.JoinAsync(room);
        await sender.SendAsync(new { type = "danmu", text = "第一条😀" });
        await sender.SendAsync(new { type = "login", uname = "主播", avatar = "a.png", loginid = "host1", info = "简介" });
        await sender.SendAsync(new { type = "text", text = "第二条" });
        var lastText = await sender.ReceiveSkippingAsync("text");
        await using var asker = await fixture.ConnectAsync(kind);
        await asker.JoinAsync(room);

        await asker.SendAsync("history", new { });

        var history = await asker.ReceiveAsync("history");
        WireAssert.Shape(history, "history", "room", "epoch", "offset", "recovered", "messages");
        WireAssert.Strings(history, ("room", room));
        Assert.False(string.IsNullOrEmpty(history.GetProperty("epoch").GetString()));
        Assert.False(history.GetProperty("recovered").GetBoolean());

        // Offsets count danmu and text only: danmu(1) text(2); the joinroom and login events are not kept.
        WireAssert.Numbers(history, ("offset", 2));
        var messages = history.GetProperty("messages").EnumerateArray().ToArray();
        Assert.Equal(2, messages.Length);
        WireAssert.Shape(messages[0], "danmu", [.. WireAssert.AnonymousChatFields, "offset"]);
        WireAssert.Numbers(messages[0], ("offset", 1));
        WireAssert.Strings(messages[0], ("text", "第一条😀"), ("uid", sender.UidText), ("avatar", ""), ("username", ""));
        WireAssert.Shape(messages[1], "text", [.. WireAssert.LoggedInChatFields, "offset"]);
        WireAssert.Numbers(messages[1], ("offset", 2));
        foreach (var field in WireAssert.LoggedInChatFields)
        {
            Assert.Equal(lastText.GetProperty(field).GetString(), messages[1].GetProperty(field).GetString());
        }
    }

    [Theory]
    [MemberData(nameof(Kinds))]
    public async Task A_client_that_joins_with_offsets_gets_each_room_message_after_its_place_and_a_legacy_member_sees_the_contract_alone(ClientKind kind)
    {
        var room = SingleNodeFixture.NewRoom();
        await using var legacy = await fixture.ConnectRawAsync();
        await using var tracker = await fixture.ConnectAsync(kind);
        await legacy.JoinAsync(room);

        // An event is at the place of the last danmu or text before it: in a room without any, no epoch and offset 0.
        await tracker.SendAsync("join", new { room, offsets = true });
        var joinedAt = await tracker.ReceiveAsync("offset");
        WireAssert.Shape(joinedAt, "offset", "epoch", "offset");
        WireAssert.Strings(joinedAt, ("epoch", ""));
        WireAssert.Numbers(joinedAt, ("offset", 0));
        await tracker.ReceiveAsync("event");
        await legacy.ReceiveAsync("event");

        await legacy.SendAsync(new { type = "danmu", text = "一" });
        await legacy.SendAsync(new { type = "text", text = "二" });

        string? epoch = null;
        foreach (var (type, offset) in new[] { ("danmu", 1L), ("text", 2L) })
        {
            var place = await tracker.ReceiveAsync("offset");
            WireAssert.Numbers(place, ("offset", offset));
            epoch ??= place.GetProperty("epoch").GetString();
            Assert.False(string.IsNullOrEmpty(epoch));
            WireAssert.Strings(place, ("epoch", epoch));
            WireAssert.Chat(await tracker.ReceiveAsync(type), type, type == "danmu" ? "一" : "二", legacy);
            WireAssert.Chat(await legacy.ReceiveAsync(type), type, type == "danmu" ? "一" : "二", legacy);
        }

        await legacy.SendAsync("login", new { uname = "观众", avatar = "", loginid = "v1", info = "" });
        WireAssert.Numbers(await tracker.ReceiveAsync("offset"), ("offset", 2));
        Assert.Equal("login", (await tracker.ReceiveAsync("event")).GetProperty("event").GetString());
        await legacy.ReceiveAsync("login");
        await legacy.ReceiveAsync("event");
        await legacy.AssertNothingPendingAsync();
        await tracker.AssertNothingPendingAsync();
    }

    [Theory]
    [MemberData(nameof(Kinds))]
    public async Task Asked_from_an_offset_history_holds_exactly_what_came_after_it_and_from_another_epoch_the_latest_unrecovered(ClientKind kind)
    {
        var room = SingleNodeFixture.NewRoom();
        await using var sender = await fixture.ConnectRawAsync();
        await sender.JoinAsync(room);
        for (var i = 1; i <= 4; i++)
        {
            await sender.SendAsync(new { type = "danmu", text = "弹幕" + i });
        }

        await using var asker = await fixture.ConnectAsync(kind);
        await asker.JoinAsync(room);
        await asker.SendAsync("history", new { limit = 1 });
        var latest = await asker.ReceiveAsync("history");
        Assert.Equal(["弹幕4"], Texts(latest));
        var epoch = latest.GetProperty("epoch").GetString()!;

        await asker.SendAsync("history", new { epoch, offset = 2 });
        var resumed = await asker.ReceiveAsync("history");
        Assert.True(resumed.GetProperty("recovered").GetBoolean());
        Assert.Equal(["弹幕3", "弹幕4"], Texts(resumed));
        Assert.Equal([3L, 4L], resumed.GetProperty("messages").EnumerateArray().Select(static m => m.GetProperty("offset").GetInt64()));

        await asker.SendAsync("history", new { epoch = "another", offset = 3, limit = 2 });
        var lost = await asker.ReceiveAsync("history");
        Assert.False(lost.GetProperty("recovered").GetBoolean());
        Assert.Equal(["弹幕3", "弹幕4"], Texts(lost));
    }

    /// <summary>With Redis a negative offset made an invalid stream id and failed every time; alone, it named nothing.</summary>
    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task A_negative_offset_is_refused_with_4008_alone_and_with_Redis_and_history_goes_on(bool withRedis)
    {
        await using var redis = withRedis ? await RedisServer.StartAsync() : null;
        await using var node = await HubNode.StartAsync(settings: redis is null ? [] : [$"Wschat:Redis={redis.Configuration}"]);
        await using var client = await RawClient.ConnectAsync(node.RawUri);
        await client.JoinAsync(SingleNodeFixture.NewRoom());
        await client.SendAsync(new { type = "danmu", text = "在吗" });
        await client.ReceiveSkippingAsync("danmu");
        await client.SendAsync("history", new { });
        var epoch = (await client.ReceiveAsync("history")).GetProperty("epoch").GetString()!;

        await client.SendAsync("history", new { epoch, offset = -5 });

        WireAssert.Error(await client.ReceiveAsync("error"), ErrorCodes.InvalidOffset);
        await client.SendAsync("history", new { epoch, offset = 0 });
        Assert.Equal(["在吗"], Texts(await client.ReceiveAsync("history")));
        Assert.Empty(node.LoggedErrors);
    }

    [Fact]
    public async Task History_outside_a_room_is_refused_with_not_in_room()
    {
        await using var client = await fixture.ConnectRawAsync();

        await client.SendAsync(new { type = "history" });

        var error = await client.ReceiveAsync("error");
        WireAssert.Numbers(error, ("code", 4001));
    }

    private static string[] Texts(JsonElement history) =>
        [.. history.GetProperty("messages").EnumerateArray().Select(static m => m.GetProperty("text").GetString()!)];
}
