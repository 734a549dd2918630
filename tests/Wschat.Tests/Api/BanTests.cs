using System.Net;
using System.Text.Json;
using Wschat.Contracts;
using Wschat.Tests.EndToEnd;
using Wschat.Tests.Infrastructure;

namespace Wschat.Tests.Api;

/// <summary>
/// Moderation that a reconnect does not undo, on one node: mutes that hold a verified login id, and bans
/// (by verified login id or address, IPv6 by its /64) enforced at join, made through the API or with a kick.
/// </summary>
public sealed class BanTests(BanTests.Fixture fixture) : IClassFixture<BanTests.Fixture>
{
    public static TheoryData<ClientKind> Kinds => ChatClients.Kinds;

    private HubNode Node => fixture.Node;

    [Theory]
    [MemberData(nameof(Kinds))]
    public async Task A_mute_of_a_verified_members_uid_holds_its_login_id_after_it_reconnects_and_logs_in_again(ClientKind kind)
    {
        var room = SingleNodeFixture.NewRoom();
        var loginId = BanClients.NewLoginId();
        await using var witness = await RawClient.ConnectAsync(Node.RawUri);
        await witness.JoinAsync(room);
        var member = await ChatClients.ConnectAsync(Node, kind);
        await member.JoinAsync(room);
        await witness.ReceiveAsync("event");
        await member.LogInVerifiedAsync(loginId, inRoomWith: [witness]);
        using var api = new ApiClient(Node);

        var reply = await ApiClient.ExpectAsync(await api.PostAsync(BanClients.RoomPath(room, "/mutes"), new { uid = member.Uid, seconds = 600 }), HttpStatusCode.OK);
        WireAssert.Strings(reply, ("userId", loginId));
        await member.DisposeAsync();
        await witness.ReceiveAsync("event");

        await using var again = await ChatClients.ConnectAsync(Node, kind);
        await again.JoinAsync(room);
        await witness.ReceiveAsync("event");
        await again.LogInVerifiedAsync(loginId, inRoomWith: [witness]);
        await again.SendAsync("danmu", new { text = "换个连接再说" });
        WireAssert.Error(await again.ReceiveAsync("error"), ErrorCodes.Muted);
        await again.SendAsync("text", new { text = "换个连接再说" });
        WireAssert.Error(await again.ReceiveAsync("error"), ErrorCodes.Muted);
        await witness.AssertNothingPendingAsync();
    }

    [Fact]
    public async Task A_mute_by_login_id_refuses_every_connection_that_logs_in_with_it_and_no_other()
    {
        var room = SingleNodeFixture.NewRoom();
        var loginId = BanClients.NewLoginId();
        await using var muted = await RawClient.ConnectAsync(Node.RawUri);
        await using var other = await RawClient.ConnectAsync(Node.RawUri);
        await muted.LogInVerifiedAsync(loginId);
        await other.LogInVerifiedAsync(BanClients.NewLoginId());
        await ChatClients.JoinAllAsync(room, muted, other);
        using var api = new ApiClient(Node);

        var reply = await ApiClient.ExpectAsync(await api.PostAsync(BanClients.RoomPath(room, "/mutes"), new { userId = loginId, seconds = 600 }), HttpStatusCode.OK);

        Assert.Equal(JsonValueKind.Null, reply.GetProperty("uid").ValueKind);
        await muted.SendAsync("danmu", new { text = "禁言中" });
        WireAssert.Error(await muted.ReceiveAsync("error"), ErrorCodes.Muted);
        await other.SendAsync("danmu", new { text = "没事" });
        Assert.Equal("没事", (await muted.ReceiveAsync("danmu")).GetProperty("text").GetString());
    }

    [Theory]
    [MemberData(nameof(Kinds))]
    public async Task A_ban_of_a_login_id_refuses_its_join_with_4033_takes_it_out_if_it_logs_in_inside_and_is_listed_until_lifted(ClientKind kind)
    {
        var room = SingleNodeFixture.NewRoom();
        var loginId = BanClients.NewLoginId();
        await using var witness = await RawClient.ConnectAsync(Node.RawUri);
        await witness.JoinAsync(room);
        using var api = new ApiClient(Node);

        var response = await api.PostAsync(BanClients.RoomPath(room, "/bans"), new { userId = loginId, seconds = 600 });
        var ban = await ApiClient.ExpectAsync(response, HttpStatusCode.Created);
        var id = ban.GetProperty("id").GetString()!;
        WireAssert.Strings(ban, ("room", room), ("userId", loginId));
        Assert.Equal(JsonValueKind.Null, ban.GetProperty("ip").ValueKind);
        Assert.Equal(BanClients.RoomPath(room, $"/bans/{id}"), response.Headers.Location?.OriginalString);

        // Logged in, then joining: refused, and the room hears nothing.
        await using var banned = await ChatClients.ConnectAsync(Node, kind);
        await banned.LogInVerifiedAsync(loginId);
        await banned.JoinRefusedAsync(room);
        await witness.AssertNothingPendingAsync();

        // In the room, then logging in as the banned login id: out of the room.
        await using var sneaky = await ChatClients.ConnectAsync(Node, kind);
        await sneaky.JoinAsync(room);
        await witness.ReceiveAsync("event");
        await sneaky.SendAsync("login", SiteLogins.Request(loginId));
        WireAssert.Success(await sneaky.ReceiveAsync("login"), "login");
        WireAssert.Event(await sneaky.ReceiveAsync("event"), "leaveroom", sneaky.Uid, usersCount: 1, loginedCount: 0);
        WireAssert.Error(await sneaky.ReceiveAsync("error"), ErrorCodes.Banned);
        WireAssert.Event(await witness.ReceiveAsync("event"), "leaveroom", sneaky.Uid, usersCount: 1, loginedCount: 0);

        Assert.Equal([id], await BanClients.ListedAsync(api, room, ""));
        Assert.Equal([id], await BanClients.ListedAsync(api, room, $"?userId={loginId}"));
        Assert.Empty(await BanClients.ListedAsync(api, room, "?userId=someone-else"));

        await ApiClient.ExpectAsync(await api.DeleteAsync(BanClients.RoomPath(room, $"/bans/{id}")), HttpStatusCode.NoContent);
        await ApiClient.ExpectProblemAsync(await api.DeleteAsync(BanClients.RoomPath(room, $"/bans/{id}")), HttpStatusCode.NotFound);
        Assert.Empty(await BanClients.ListedAsync(api, room, ""));
        await banned.JoinAsync(room);
    }

    [Theory]
    [InlineData("2001:db8:1:2::5", "2001:db8:1:2::/64", "2001:db8:1:2:ffff:ffff:ffff:ffff", "2001:db8:1:3::5")]
    [InlineData("203.0.113.7", "203.0.113.7", "203.0.113.7", "203.0.113.8")]
    [InlineData("::ffff:203.0.113.9", "203.0.113.9", "203.0.113.9", "203.0.113.10")]
    public async Task An_address_ban_refuses_joins_from_the_address_IPv6_from_its_whole_64(string banned, string block, string inside, string outside)
    {
        var room = SingleNodeFixture.NewRoom();
        using var api = new ApiClient(Node);

        var ban = await ApiClient.ExpectAsync(await api.PostAsync(BanClients.RoomPath(room, "/bans"), new { ip = banned, seconds = 600 }), HttpStatusCode.Created);

        WireAssert.Strings(ban, ("ip", block));
        Assert.Single(await BanClients.ListedAsync(api, room, $"?ip={Uri.EscapeDataString(inside)}"));
        Assert.Empty(await BanClients.ListedAsync(api, room, $"?ip={Uri.EscapeDataString(outside)}"));
        await using var refused = await ChatClients.ConnectFromAsync(Node, ClientKind.Json, inside);
        await refused.JoinRefusedAsync(room);
        await using var admitted = await ChatClients.ConnectFromAsync(Node, ClientKind.Raw, outside);
        await admitted.JoinAsync(room);

        // A refused join loses nothing: the connection stays where it was.
        await refused.JoinAsync(SingleNodeFixture.NewRoom());
        await refused.JoinRefusedAsync(room);
        await refused.SendAsync("danmu", new { text = "还在原来的房间" });
        Assert.Equal("还在原来的房间", (await refused.ReceiveAsync("danmu")).GetProperty("text").GetString());
    }

    [Theory]
    [MemberData(nameof(Kinds))]
    public async Task A_kick_with_banSeconds_bans_the_members_login_id_and_address_so_a_reconnect_does_not_undo_it(ClientKind kind)
    {
        var room = SingleNodeFixture.NewRoom();
        var loginId = BanClients.NewLoginId();
        await using var witness = await RawClient.ConnectAsync(Node.RawUri);
        await witness.JoinAsync(room);
        await using var kicked = await ChatClients.ConnectFromAsync(Node, kind, "2001:db8:7:7::1");
        await kicked.LogInVerifiedAsync(loginId);
        await kicked.JoinAsync(room);
        await witness.ReceiveAsync("event");
        using var api = new ApiClient(Node);

        var reply = await ApiClient.ExpectAsync(await api.DeleteAsync(BanClients.RoomPath(room, $"/members/{kicked.Uid}?reason=刷屏&banSeconds=600")), HttpStatusCode.OK);

        WireAssert.Numbers(reply, ("uid", kicked.Uid));
        WireAssert.Strings(reply.GetProperty("ban"), ("userId", loginId), ("ip", "2001:db8:7:7::/64"));
        WireAssert.Error(await kicked.ReceiveAsync("error"), ErrorCodes.Kicked);
        var left = await witness.ReceiveAsync("event");
        WireAssert.Strings(left, ("event", "leaveroom"), ("ip", "2001:db8:7:7::1"));
        WireAssert.Numbers(left, ("uid", kicked.Uid));

        // Back from another address of the /64, anonymous; back from elsewhere, logged in: both refused.
        await using var sameBlock = await ChatClients.ConnectFromAsync(Node, kind, "2001:db8:7:7::2");
        await sameBlock.JoinRefusedAsync(room);
        await using var sameLogin = await ChatClients.ConnectFromAsync(Node, kind, "198.51.100.77");
        await sameLogin.LogInVerifiedAsync(loginId);
        await sameLogin.JoinRefusedAsync(room);
        await witness.AssertNothingPendingAsync();

        // An anonymous newcomer from another address is someone else.
        await using var stranger = await ChatClients.ConnectFromAsync(Node, kind, "198.51.100.78");
        await stranger.JoinAsync(room);
    }

    [Fact]
    public async Task A_kick_with_banSeconds_of_a_uid_not_in_the_room_is_a_404_and_bans_nothing()
    {
        var room = SingleNodeFixture.NewRoom();
        await using var elsewhere = await RawClient.ConnectAsync(Node.RawUri);
        await elsewhere.JoinAsync(SingleNodeFixture.NewRoom());
        using var api = new ApiClient(Node);

        await ApiClient.ExpectProblemAsync(await api.DeleteAsync(BanClients.RoomPath(room, $"/members/{elsewhere.Uid}?banSeconds=60")), HttpStatusCode.NotFound);

        Assert.Empty(await BanClients.ListedAsync(api, room, ""));
        await elsewhere.JoinAsync(room);
    }

    [Fact]
    public async Task A_ban_ends_by_itself()
    {
        var room = SingleNodeFixture.NewRoom();
        using var api = new ApiClient(Node);
        await using var client = await ChatClients.ConnectFromAsync(Node, ClientKind.Raw, "203.0.113.99");
        var ban = await ApiClient.ExpectAsync(await api.PostAsync(BanClients.RoomPath(room, "/bans"), new { ip = "203.0.113.99", seconds = 1 }), HttpStatusCode.Created);
        await client.JoinRefusedAsync(room);

        await BanClients.JoinOnceTheBanEndsAsync(client, room, ban);

        Assert.Empty(await BanClients.ListedAsync(api, room, ""));
    }

    [Fact]
    public async Task An_admin_connection_is_never_banned()
    {
        var room = SingleNodeFixture.NewRoom();
        using var api = new ApiClient(Node);
        await ApiClient.ExpectAsync(await api.PostAsync(BanClients.RoomPath(room, "/bans"), new { ip = "203.0.113.55", seconds = 600 }), HttpStatusCode.Created);

        await using var admin = await ChatClients.ConnectFromAsync(Node, ClientKind.Raw, "203.0.113.55", "api-tests-admin");

        await admin.JoinAsync(room);
    }

    [Fact]
    public async Task Lifting_a_ban_the_room_does_not_have_is_a_404_problem()
    {
        using var api = new ApiClient(Node);

        await ApiClient.ExpectProblemAsync(await api.DeleteAsync(BanClients.RoomPath(SingleNodeFixture.NewRoom(), "/bans/0123456789abcdef")), HttpStatusCode.NotFound);
    }

    public sealed class Fixture : IAsyncLifetime
    {
        public HubNode Node { get; private set; } = null!;

        public async Task InitializeAsync() => Node = await HubNode.StartAsync(settings: [.. ApiClient.Settings, .. BanClients.Settings]);

        public async Task DisposeAsync() => await Node.DisposeAsync();
    }
}

/// <summary>Steps of the moderation tests, on one node and in a cluster.</summary>
internal static class BanClients
{
    /// <summary>Verified login, and a trusted proxy so that clients may come from any address.</summary>
    public static string[] Settings => [SiteLogins.Setting, "Wschat:TrustedProxies:0=127.0.0.1"];

    public static string NewLoginId() => "site-user-" + Guid.NewGuid().ToString("N")[..8];

    public static string RoomPath(string room, string rest) => $"/api/rooms/{Uri.EscapeDataString(room)}{rest}";

    /// <summary>Logs in with a verified token; in a room, the login event reaches the client and <paramref name="inRoomWith"/>.</summary>
    public static async Task LogInVerifiedAsync(this IChatClient client, string loginId, IChatClient[]? inRoomWith = null)
    {
        await client.SendAsync("login", SiteLogins.Request(loginId));
        WireAssert.Success(await client.ReceiveAsync("login"), "login");
        if (inRoomWith is not null)
        {
            foreach (var member in inRoomWith.Append(client))
            {
                WireAssert.Strings(await member.ReceiveAsync("event"), ("event", "login"), ("userid", loginId));
            }
        }
    }

    /// <summary>The join is refused with 4033, and nothing else comes.</summary>
    public static async Task JoinRefusedAsync(this IChatClient client, string room)
    {
        await client.SendAsync("join", new { room });
        WireAssert.Error(await client.ReceiveAsync("error"), ErrorCodes.Banned);
        await client.AssertNothingPendingAsync();
    }

    /// <summary>The ids of the bans listed, with a query.</summary>
    public static async Task<string[]> ListedAsync(ApiClient api, string room, string query)
    {
        var list = await ApiClient.ExpectAsync(await api.GetAsync(RoomPath(room, "/bans" + query)), HttpStatusCode.OK);
        return [.. list.GetProperty("bans").EnumerateArray().Select(static b => b.GetProperty("id").GetString()!)];
    }

    /// <summary>Tries the join until it is taken (each refusal is answered, so none is left pending); not before the ban's end.</summary>
    public static async Task JoinOnceTheBanEndsAsync(IChatClient client, string room, JsonElement ban)
    {
        await Eventually.GetAsync(async () =>
        {
            await client.SendAsync("join", new { room });
            var answer = await client.ReceiveAsync();
            return answer.GetProperty("type").GetString() == "event" ? (object)answer : null;
        }, TimeSpan.FromSeconds(10), "the ban ending");
        Assert.True(DateTimeOffset.UtcNow >= ban.GetProperty("until").GetDateTimeOffset().AddMilliseconds(-500), "the join was taken before the ban ended");
    }
}
