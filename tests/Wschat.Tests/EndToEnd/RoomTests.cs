using System.Text.Json;
using Wschat.Tests.Infrastructure;

namespace Wschat.Tests.EndToEnd;

public sealed class RoomTests(SingleNodeFixture fixture) : IClassFixture<SingleNodeFixture>
{
    public static TheoryData<ClientKind> Kinds => ChatClients.Kinds;

    [Fact]
    public async Task Setuserid_and_hello_carry_the_uid_as_a_number_and_the_ip()
    {
        await using var client = await RawClient.ConnectAsync(fixture.Node.RawUri);
        Assert.InRange(client.Uid, 1, (1L << 53) - 1);
        Assert.Equal("127.0.0.1", client.Ip);

        await client.SendAsync("hello");
        var hello = await client.ReceiveAsync("hello");
        Assert.Equal(JsonValueKind.Number, hello.GetProperty("uid").ValueKind);
        Assert.Equal(client.Uid, hello.GetProperty("uid").GetInt64());
        Assert.Equal(JsonValueKind.String, hello.GetProperty("server").ValueKind);
        Assert.Equal("127.0.0.1", hello.GetProperty("ip").GetString());
    }

    [Theory]
    [MemberData(nameof(Kinds))]
    public async Task Joining_announces_the_joiner_to_every_member_with_cluster_counts_and_not_to_other_rooms(ClientKind kind)
    {
        var room = SingleNodeFixture.NewRoom();
        await using var first = await RawClient.ConnectAsync(fixture.Node.RawUri);
        await using var elsewhere = await RawClient.ConnectAsync(fixture.Node.RawUri);
        await using var joiner = await fixture.ConnectAsync(kind);
        await first.JoinAsync(room);
        await elsewhere.JoinAsync(SingleNodeFixture.NewRoom());

        await joiner.SendAsync("join", new { room });

        foreach (var seen in new[] { await first.ReceiveAsync("event"), await joiner.ReceiveAsync("event") })
        {
            AssertEvent(seen, "joinroom", joiner.Uid, usersCount: 2, loginedCount: 0);
        }

        await elsewhere.AssertNothingPendingAsync();
    }

    [Fact]
    public async Task Joining_the_room_one_is_in_tells_only_the_joiner_and_changes_nothing()
    {
        var room = SingleNodeFixture.NewRoom();
        await using var member = await RawClient.ConnectAsync(fixture.Node.RawUri);
        await using var joiner = await RawClient.ConnectAsync(fixture.Node.RawUri);
        await member.JoinAsync(room);
        await joiner.JoinAsync(room);
        await member.ReceiveAsync("event");

        await joiner.SendAsync("join", new { room });

        AssertEvent(await joiner.ReceiveAsync("event"), "joinroom", joiner.Uid, usersCount: 2, loginedCount: 0);
        await member.AssertNothingPendingAsync();
    }

    [Theory]
    [MemberData(nameof(Kinds))]
    public async Task Switching_rooms_leaves_the_first_with_its_broadcast_then_joins_the_second(ClientKind kind)
    {
        var (roomA, roomB) = (SingleNodeFixture.NewRoom(), SingleNodeFixture.NewRoom());
        await using var inA = await RawClient.ConnectAsync(fixture.Node.RawUri);
        await using var inB = await RawClient.ConnectAsync(fixture.Node.RawUri);
        await using var mover = await fixture.ConnectAsync(kind);
        await inA.JoinAsync(roomA);
        await inB.JoinAsync(roomB);
        await mover.JoinAsync(roomA);
        await inA.ReceiveAsync("event");

        await mover.SendAsync("join", new { room = roomB });

        AssertEvent(await inA.ReceiveAsync("event"), "leaveroom", mover.Uid, usersCount: 1, loginedCount: 0);
        AssertEvent(await mover.ReceiveAsync("event"), "leaveroom", mover.Uid, usersCount: 1, loginedCount: 0);
        AssertEvent(await mover.ReceiveAsync("event"), "joinroom", mover.Uid, usersCount: 2, loginedCount: 0);
        AssertEvent(await inB.ReceiveAsync("event"), "joinroom", mover.Uid, usersCount: 2, loginedCount: 0);

        // Danmu in the old room no longer reaches the mover.
        await inA.SendAsync("danmu", new { text = "还在A吗" });
        await inA.ReceiveAsync("danmu");
        await mover.AssertNothingPendingAsync();
    }

    [Theory]
    [MemberData(nameof(Kinds))]
    public async Task Leaving_tells_the_leaver_and_the_rest_and_stops_delivery_to_the_leaver(ClientKind kind)
    {
        var room = SingleNodeFixture.NewRoom();
        await using var stayer = await RawClient.ConnectAsync(fixture.Node.RawUri);
        await using var leaver = await fixture.ConnectAsync(kind);
        await stayer.JoinAsync(room);
        await leaver.JoinAsync(room);
        await stayer.ReceiveAsync("event");

        await leaver.SendAsync("leave");

        AssertEvent(await leaver.ReceiveAsync("event"), "leaveroom", leaver.Uid, usersCount: 1, loginedCount: 0);
        AssertEvent(await stayer.ReceiveAsync("event"), "leaveroom", leaver.Uid, usersCount: 1, loginedCount: 0);
        await stayer.SendAsync("danmu", new { text = "走了吗" });
        await stayer.ReceiveAsync("danmu");
        await leaver.AssertNothingPendingAsync();
    }

    [Theory]
    [MemberData(nameof(Kinds))]
    public async Task A_disconnect_leaves_the_room_with_counts_that_exclude_it(ClientKind kind)
    {
        var room = SingleNodeFixture.NewRoom();
        await using var stayer = await RawClient.ConnectAsync(fixture.Node.RawUri);
        var goer = await fixture.ConnectAsync(kind);
        await stayer.JoinAsync(room);
        await goer.JoinAsync(room);
        await goer.SendAsync("login", new { uname = "走的人", avatar = "", loginid = "g", info = "" });
        await goer.ReceiveSkippingAsync("login");
        await stayer.ReceiveSkippingAsync("event", static e => e.GetProperty("event").GetString() == "login");

        await goer.DisposeAsync();

        AssertEvent(await stayer.ReceiveSkippingAsync("event"), "leaveroom", goer.Uid, usersCount: 1, loginedCount: 0);
    }

    internal static void AssertEvent(JsonElement message, string eventName, long uid, int usersCount, int loginedCount)
    {
        Assert.Equal("event", message.GetProperty("type").GetString());
        Assert.Equal(eventName, message.GetProperty("event").GetString());
        Assert.Equal(JsonValueKind.Number, message.GetProperty("uid").ValueKind);
        Assert.Equal(uid, message.GetProperty("uid").GetInt64());
        Assert.Equal(JsonValueKind.Number, message.GetProperty("userscount").ValueKind);
        Assert.Equal(usersCount, message.GetProperty("userscount").GetInt32());
        Assert.Equal(JsonValueKind.Number, message.GetProperty("loginedcount").ValueKind);
        Assert.Equal(loginedCount, message.GetProperty("loginedcount").GetInt32());
        Assert.Equal(JsonValueKind.String, message.GetProperty("ip").ValueKind);
    }
}
