using System.Text.Json;
using System.Net;
using Wschat.Contracts;
using Wschat.Tests.EndToEnd;
using Wschat.Tests.Infrastructure;

namespace Wschat.Tests.Api;

/// <summary>The HTTP API of a two-node cluster on a real Redis: what a call on node A does to clients on node B.</summary>
public sealed class ApiClusterTests(ApiClusterTests.Fixture cluster) : IClassFixture<ApiClusterTests.Fixture>
{
    private static string NewRoom() => "api-" + Guid.NewGuid().ToString("N")[..8];

    private static string RoomPath(string room, string rest = "") => $"/api/rooms/{Uri.EscapeDataString(room)}{rest}";

    [Fact]
    public async Task Either_node_lists_both_nodes_alive_by_their_leases_and_marks_itself()
    {
        using var onA = new ApiClient(cluster.NodeA);
        using var onB = new ApiClient(cluster.NodeB);

        var fromA = await ApiClient.ExpectAsync(await onA.GetAsync("/api/nodes"), HttpStatusCode.OK);
        var fromB = await ApiClient.ExpectAsync(await onB.GetAsync("/api/nodes"), HttpStatusCode.OK);

        string[] Ids(JsonElement reply) => [.. reply.GetProperty("nodes").EnumerateArray().Select(static n => n.GetProperty("node").GetString()!).Order(StringComparer.Ordinal)];
        string Self(JsonElement reply) => reply.GetProperty("nodes").EnumerateArray().Single(static n => n.GetProperty("thisNode").GetBoolean()).GetProperty("node").GetString()!;
        Assert.Equal(2, Ids(fromA).Length);
        Assert.Equal(Ids(fromA), Ids(fromB));
        Assert.NotEqual(Self(fromA), Self(fromB));
        Assert.All(fromA.GetProperty("nodes").EnumerateArray(), static n => Assert.True(n.GetProperty("alive").GetBoolean() && n.GetProperty("leaseLeftMs").GetInt64() > 0));
        Assert.True(fromA.GetProperty("redisConnected").GetBoolean());
    }

    [Fact]
    public async Task A_message_published_through_node_A_reaches_raw_and_SignalR_clients_on_node_B_at_the_offset_it_replied()
    {
        var room = NewRoom();
        await using var raw = await RawClient.ConnectAsync(cluster.NodeB.RawUri);
        await using var signalR = await ChatClients.ConnectAsync(cluster.NodeB, ClientKind.MessagePack);
        await ChatClients.JoinAllAsync(room, raw, signalR);
        using var onA = new ApiClient(cluster.NodeA);
        using var onB = new ApiClient(cluster.NodeB);

        var replies = new List<(string Epoch, long Offset)>();
        for (var i = 1; i <= 3; i++)
        {
            var reply = await ApiClient.ExpectAsync(await onA.PostAsync(RoomPath(room, "/messages"), new { type = "danmu", text = $"第{i}条" }), HttpStatusCode.OK);
            replies.Add((reply.GetProperty("epoch").GetString()!, reply.GetProperty("offset").GetInt64()));
        }

        foreach (var member in new IChatClient[] { raw, signalR })
        {
            for (var i = 1; i <= 3; i++)
            {
                Assert.Equal($"第{i}条", (await member.ReceiveAsync("danmu")).GetProperty("text").GetString());
            }
        }

        Assert.Single(replies.Select(static r => r.Epoch).Distinct());
        Assert.Equal([replies[0].Offset, replies[0].Offset + 1, replies[0].Offset + 2], replies.Select(static r => r.Offset));

        // Node B's view of the room's stream (the joinroom events come first) agrees with what node A replied.
        var history = await ApiClient.ExpectAsync(await onB.GetAsync(RoomPath(room, $"/history?since={replies[0].Offset - 1}")), HttpStatusCode.OK);
        Assert.Equal(replies[0].Epoch, history.GetProperty("epoch").GetString());
        Assert.Equal(replies[2].Offset, history.GetProperty("lastOffset").GetInt64());
        Assert.Equal(
            replies.Select(static r => r.Offset),
            history.GetProperty("messages").EnumerateArray().Select(static m => m.GetProperty("offset").GetInt64()));
    }

    [Fact]
    public async Task A_retry_with_the_same_Idempotency_Key_through_either_node_publishes_nothing_and_gets_the_first_reply()
    {
        var room = NewRoom();
        await using var member = await RawClient.ConnectAsync(cluster.NodeB.RawUri);
        await member.JoinAsync(room);
        using var onA = new ApiClient(cluster.NodeA);
        using var onB = new ApiClient(cluster.NodeB);
        var key = Guid.NewGuid().ToString();
        var body = new { type = "text", text = "只发一次" };

        var first = await ApiClient.ExpectAsync(await onA.PostAsync(RoomPath(room, "/messages"), body, key), HttpStatusCode.OK);
        var againOnA = await ApiClient.ExpectAsync(await onA.PostAsync(RoomPath(room, "/messages"), body, key), HttpStatusCode.OK);
        var againOnB = await ApiClient.ExpectAsync(await onB.PostAsync(RoomPath(room, "/messages"), body, key), HttpStatusCode.OK);

        Assert.Equal(first.GetRawText(), againOnA.GetRawText());
        Assert.Equal(first.GetRawText(), againOnB.GetRawText());
        Assert.Equal("只发一次", (await member.ReceiveAsync("text")).GetProperty("text").GetString());
        await member.AssertNothingPendingAsync();

        // Another key is another message.
        var other = await ApiClient.ExpectAsync(await onB.PostAsync(RoomPath(room, "/messages"), body, Guid.NewGuid().ToString()), HttpStatusCode.OK);
        Assert.Equal(first.GetProperty("offset").GetInt64() + 1, other.GetProperty("offset").GetInt64());
        await member.ReceiveAsync("text");
    }

    [Fact]
    public async Task A_private_message_through_node_A_reaches_the_uid_on_node_B_as_a_sendto()
    {
        await using var addressee = await RawClient.ConnectAsync(cluster.NodeB.RawUri);
        await using var signalR = await ChatClients.ConnectAsync(cluster.NodeB, ClientKind.Json);
        using var onA = new ApiClient(cluster.NodeA);

        await ApiClient.ExpectAsync(await onA.PostAsync($"/api/users/{addressee.Uid}/messages", new { text = "私信", username = "客服", userId = "svc" }), HttpStatusCode.NoContent);
        await ApiClient.ExpectAsync(await onA.PostAsync($"/api/users/{signalR.Uid}/messages", new { text = "私信2" }), HttpStatusCode.NoContent);

        var message = await addressee.ReceiveAsync("sendto");
        WireAssert.Strings(message, ("text", "私信"), ("uid", "0"), ("username", "客服"), ("userid", "svc"));
        Assert.Equal("私信2", (await signalR.ReceiveAsync("sendto")).GetProperty("text").GetString());
    }

    [Theory]
    [InlineData(ClientKind.Raw)]
    [InlineData(ClientKind.Json)]
    public async Task A_kick_through_node_A_tells_the_member_on_node_B_why_closes_it_and_the_room_sees_it_leave(ClientKind kind)
    {
        var room = NewRoom();
        await using var witness = await RawClient.ConnectAsync(cluster.NodeA.RawUri);
        await using var kicked = await ChatClients.ConnectAsync(cluster.NodeB, kind);
        await ChatClients.JoinAllAsync(room, witness, kicked);
        using var onA = new ApiClient(cluster.NodeA);

        await ApiClient.ExpectAsync(await onA.DeleteAsync(RoomPath(room, $"/members/{kicked.Uid}?reason=刷屏")), HttpStatusCode.NoContent);

        var error = await kicked.ReceiveAsync("error");
        WireAssert.Error(error, ErrorCodes.Kicked);
        Assert.Equal("刷屏", error.GetProperty("msg").GetString());
        await ClosedAsync(kicked);
        var left = await witness.ReceiveAsync("event");
        WireAssert.Event(left, "leaveroom", kicked.Uid, usersCount: 1, loginedCount: 0);
    }

    [Fact]
    public async Task A_mute_through_node_A_refuses_the_uids_danmu_and_text_on_node_B_until_it_ends()
    {
        var room = NewRoom();
        await using var muted = await RawClient.ConnectAsync(cluster.NodeB.RawUri);
        await using var other = await RawClient.ConnectAsync(cluster.NodeB.RawUri);
        await ChatClients.JoinAllAsync(room, muted, other);
        using var onA = new ApiClient(cluster.NodeA);

        var reply = await ApiClient.ExpectAsync(await onA.PostAsync(RoomPath(room, "/mutes"), new { uid = muted.Uid, seconds = 2 }), HttpStatusCode.OK);
        Assert.Equal(muted.Uid, reply.GetProperty("uid").GetInt64());

        await muted.SendAsync("danmu", new { text = "禁言中" });
        WireAssert.Error(await muted.ReceiveAsync("error"), ErrorCodes.Muted);
        await muted.SendAsync("text", new { text = "禁言中" });
        WireAssert.Error(await muted.ReceiveAsync("error"), ErrorCodes.Muted);
        await other.SendAsync("danmu", new { text = "我没被禁言" });
        Assert.Equal("我没被禁言", (await muted.ReceiveAsync("danmu")).GetProperty("text").GetString());
        await other.ReceiveAsync("danmu");

        // Once the mute ends the same danmu goes through (each refused try is answered, so none is left pending).
        var until = reply.GetProperty("until").GetDateTimeOffset();
        await Eventually.GetAsync(async () =>
        {
            await muted.SendAsync("danmu", new { text = "解禁了" });
            var answer = await muted.ReceiveAsync();
            return answer.GetProperty("type").GetString() == "danmu" ? (object)answer : null;
        }, TimeSpan.FromSeconds(10), "the mute ending");
        Assert.True(DateTimeOffset.UtcNow >= until.AddMilliseconds(-500), "the danmu went through before the mute ended");
        Assert.Equal("解禁了", (await other.ReceiveAsync("danmu")).GetProperty("text").GetString());
    }

    [Theory]
    [InlineData(ClientKind.Raw)]
    [InlineData(ClientKind.Json)]
    public async Task A_ban_through_node_A_refuses_joins_on_both_nodes_by_login_id_and_address_and_lifting_it_through_node_B_lets_them_in(ClientKind kind)
    {
        var room = NewRoom();
        var loginId = BanClients.NewLoginId();
        await using var witness = await RawClient.ConnectAsync(cluster.NodeB.RawUri);
        await witness.JoinAsync(room);
        using var onA = new ApiClient(cluster.NodeA);
        using var onB = new ApiClient(cluster.NodeB);

        var ban = await ApiClient.ExpectAsync(await onA.PostAsync(RoomPath(room, "/bans"), new { userId = loginId, ip = "2001:db8:9:9::1", seconds = 600 }), HttpStatusCode.Created);

        await using var fromBlockOnB = await ChatClients.ConnectFromAsync(cluster.NodeB, kind, "2001:db8:9:9::abcd");
        await fromBlockOnB.JoinRefusedAsync(room);
        await using var fromBlockOnA = await ChatClients.ConnectFromAsync(cluster.NodeA, kind, "2001:db8:9:9::2");
        await fromBlockOnA.JoinRefusedAsync(room);
        await using var loggedInOnB = await ChatClients.ConnectFromAsync(cluster.NodeB, kind, "198.51.100.5");
        await loggedInOnB.LogInVerifiedAsync(loginId);
        await loggedInOnB.JoinRefusedAsync(room);
        await witness.AssertNothingPendingAsync();

        // Listed through node B as node A replied, to the last digit of its end: Redis keeps milliseconds, so the API makes ends of whole ones.
        var listed = await ApiClient.ExpectAsync(await onB.GetAsync(RoomPath(room, $"/bans?userId={loginId}")), HttpStatusCode.OK);
        Assert.Equal(ban.GetRawText(), Assert.Single(listed.GetProperty("bans").EnumerateArray()).GetRawText());

        await ApiClient.ExpectAsync(await onB.DeleteAsync(RoomPath(room, $"/bans/{ban.GetProperty("id").GetString()}")), HttpStatusCode.NoContent);

        await fromBlockOnB.JoinAsync(room);
        await loggedInOnB.JoinAsync(room);
        Assert.Empty(await BanClients.ListedAsync(onA, room, ""));
    }

    [Theory]
    [InlineData(ClientKind.Raw)]
    [InlineData(ClientKind.MessagePack)]
    public async Task A_mute_through_node_A_of_a_verified_member_on_node_B_holds_when_it_comes_back_through_node_A(ClientKind kind)
    {
        var room = NewRoom();
        var loginId = BanClients.NewLoginId();
        await using var witness = await RawClient.ConnectAsync(cluster.NodeA.RawUri);
        var member = await ChatClients.ConnectAsync(cluster.NodeB, kind);
        await ChatClients.JoinAllAsync(room, witness, member);
        await member.LogInVerifiedAsync(loginId, inRoomWith: [witness]);
        using var onA = new ApiClient(cluster.NodeA);

        var reply = await ApiClient.ExpectAsync(await onA.PostAsync(RoomPath(room, "/mutes"), new { uid = member.Uid, seconds = 600 }), HttpStatusCode.OK);
        WireAssert.Strings(reply, ("userId", loginId));
        await member.DisposeAsync();
        await witness.ReceiveAsync("event");

        await using var back = await ChatClients.ConnectAsync(cluster.NodeA, kind);
        await back.LogInVerifiedAsync(loginId);
        await ChatClients.JoinAllAsync(room, witness, back);
        await back.SendAsync("danmu", new { text = "回来了" });
        WireAssert.Error(await back.ReceiveAsync("error"), ErrorCodes.Muted);
        await witness.AssertNothingPendingAsync();
    }

    [Theory]
    [InlineData(ClientKind.Raw)]
    [InlineData(ClientKind.Json)]
    public async Task A_kick_with_a_ban_through_node_A_keeps_the_member_of_node_B_out_when_it_reconnects_to_either_node(ClientKind kind)
    {
        var room = NewRoom();
        var loginId = BanClients.NewLoginId();
        await using var witness = await RawClient.ConnectAsync(cluster.NodeA.RawUri);
        await witness.JoinAsync(room);
        await using var kicked = await ChatClients.ConnectFromAsync(cluster.NodeB, kind, "203.0.113.40");
        await kicked.LogInVerifiedAsync(loginId);
        await kicked.JoinAsync(room);
        await witness.ReceiveAsync("event");
        using var onA = new ApiClient(cluster.NodeA);

        var reply = await ApiClient.ExpectAsync(await onA.DeleteAsync(RoomPath(room, $"/members/{kicked.Uid}?banSeconds=600")), HttpStatusCode.OK);

        WireAssert.Strings(reply.GetProperty("ban"), ("userId", loginId), ("ip", "203.0.113.40"));
        WireAssert.Error(await kicked.ReceiveAsync("error"), ErrorCodes.Kicked);
        await ClosedAsync(kicked);
        WireAssert.Strings(await witness.ReceiveAsync("event"), ("event", "leaveroom"));
        await using var sameAddressOnA = await ChatClients.ConnectFromAsync(cluster.NodeA, kind, "203.0.113.40");
        await sameAddressOnA.JoinRefusedAsync(room);
        await using var sameLoginOnB = await ChatClients.ConnectFromAsync(cluster.NodeB, kind, "198.51.100.41");
        await sameLoginOnB.LogInVerifiedAsync(loginId);
        await sameLoginOnB.JoinRefusedAsync(room);
        await witness.AssertNothingPendingAsync();
    }

    [Fact]
    public async Task A_rooms_bans_live_in_one_Redis_hash_that_drops_ended_bans_and_expires_with_its_last_ban()
    {
        var room = NewRoom();
        using var api = new ApiClient(cluster.NodeA);
        await using var redis = await StackExchange.Redis.ConnectionMultiplexer.ConnectAsync(cluster.Redis.Configuration);
        var key = $"wschat:{Wschat.Hub.Redis.RedisRoomName.Of(room)}:bans";
        var ended = await ApiClient.ExpectAsync(await api.PostAsync(RoomPath(room, "/bans"), new { ip = "203.0.113.50", seconds = 1 }), HttpStatusCode.Created);
        await using var client = await ChatClients.ConnectFromAsync(cluster.NodeB, ClientKind.Raw, "203.0.113.50");
        await BanClients.JoinOnceTheBanEndsAsync(client, room, ended);

        var kept = await ApiClient.ExpectAsync(await api.PostAsync(RoomPath(room, "/bans"), new { ip = "203.0.113.51", seconds = 600 }), HttpStatusCode.Created);

        var fields = await redis.GetDatabase().HashKeysAsync(key);
        Assert.Equal([kept.GetProperty("id").GetString()], fields.Select(static f => (string?)f));
        var expires = await redis.GetDatabase().KeyExpireTimeAsync(key);
        Assert.Equal(kept.GetProperty("until").GetDateTimeOffset().ToUnixTimeMilliseconds(), new DateTimeOffset(expires!.Value).ToUnixTimeMilliseconds());
    }

    [Fact]
    public async Task The_room_list_through_either_node_counts_members_on_both_and_drops_a_room_once_empty()
    {
        var room = NewRoom();
        var onA = await RawClient.ConnectAsync(cluster.NodeA.RawUri);
        await using var onB = await RawClient.ConnectAsync(cluster.NodeB.RawUri);
        await ChatClients.JoinAllAsync(room, onA, onB);
        using var api = new ApiClient(cluster.NodeB);

        var listed = await FindAsync(api, room);
        Assert.Equal(2, listed?.GetProperty("usersCount").GetInt32());

        await onA.DisposeAsync();
        await onB.ReceiveAsync("event");
        await onB.SendAsync("leave");
        await onB.ReceiveAsync("event");
        Assert.Null(await FindAsync(api, room));
    }

    private static async Task<System.Text.Json.JsonElement?> FindAsync(ApiClient api, string room)
    {
        var page = await ApiClient.ExpectAsync(await api.GetAsync("/api/rooms?limit=1000"), HttpStatusCode.OK);
        foreach (var listed in page.GetProperty("rooms").EnumerateArray())
        {
            if (listed.GetProperty("room").GetString() == room)
            {
                return listed;
            }
        }

        return null;
    }

    private static async Task ClosedAsync(IChatClient client)
    {
        if (client is RawClient raw)
        {
            await raw.WaitClosedAsync();
            return;
        }

        var connection = ((SignalRClient)client).Connection;
        await Eventually.GetAsync(() => Task.FromResult(connection.State == Microsoft.AspNetCore.SignalR.Client.HubConnectionState.Disconnected ? (object)true : null), RawClient.Timeout, "the SignalR connection closing");
    }

    public sealed class Fixture : IAsyncLifetime
    {
        public RedisServer Redis { get; private set; } = null!;

        public HubNode NodeA { get; private set; } = null!;

        public HubNode NodeB { get; private set; } = null!;

        public async Task InitializeAsync()
        {
            Redis = await RedisServer.StartAsync();
            NodeA = await HubNode.StartAsync(settings: [$"Wschat:Redis={Redis.Configuration}", .. ApiClient.Settings, .. BanClients.Settings]);
            NodeB = await HubNode.StartAsync(settings: [$"Wschat:Redis={Redis.Configuration}", .. ApiClient.Settings, .. BanClients.Settings]);
        }

        public async Task DisposeAsync()
        {
            await NodeA.DisposeAsync();
            await NodeB.DisposeAsync();
            await Redis.DisposeAsync();
        }
    }
}
