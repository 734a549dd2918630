using Wschat.Tests.Infrastructure;

namespace Wschat.Tests.EndToEnd;

/// <summary>join, leave, room switching and disconnects: who is told, with which counts, and who is not.</summary>
public sealed class RoomTests(SingleNodeFixture fixture) : IClassFixture<SingleNodeFixture>
{
    public static TheoryData<ClientKind> Kinds => ChatClients.Kinds;

    [Theory]
    [MemberData(nameof(Kinds))]
    public async Task Joining_a_room_announces_the_joiner_to_every_member_the_joiner_included_and_to_no_other_room(ClientKind kind)
    {
        var room = SingleNodeFixture.NewRoom();
        await using var first = await fixture.ConnectRawAsync();
        await using var elsewhere = await fixture.ConnectAsync(ClientKind.MessagePack);
        await using var joiner = await fixture.ConnectAsync(kind);
        await elsewhere.JoinAsync(SingleNodeFixture.NewRoom());

        await first.SendAsync("join", new { room });
        WireAssert.Event(await first.ReceiveAsync("event"), "joinroom", first.Uid, usersCount: 1, loginedCount: 0);

        await joiner.SendAsync("join", new { room });
        await WireAssert.EventReachesAsync([first, joiner], "joinroom", joiner.Uid, usersCount: 2, loginedCount: 0);
        await elsewhere.AssertNothingPendingAsync();
    }

    [Theory]
    [MemberData(nameof(Kinds))]
    public async Task Joining_the_room_one_is_already_in_tells_the_joiner_alone_and_changes_nothing(ClientKind kind)
    {
        var room = SingleNodeFixture.NewRoom();
        await using var member = await fixture.ConnectRawAsync();
        await using var joiner = await fixture.ConnectAsync(kind);
        await ChatClients.JoinAllAsync(room, member, joiner);

        await joiner.SendAsync("join", new { room });

        WireAssert.Event(await joiner.ReceiveAsync("event"), "joinroom", joiner.Uid, usersCount: 2, loginedCount: 0);
        await member.AssertNothingPendingAsync();

        // Still one member of the room, receiving each danmu once.
        await member.SendAsync("danmu", new { text = "只收一次" });
        await member.ReceiveAsync("danmu");
        WireAssert.Chat(await joiner.ReceiveAsync("danmu"), "danmu", "只收一次", member);
        await joiner.AssertNothingPendingAsync();
        await using var third = await fixture.ConnectRawAsync();
        await third.SendAsync("join", new { room });
        await WireAssert.EventReachesAsync([member, joiner, third], "joinroom", third.Uid, usersCount: 3, loginedCount: 0);
    }

    [Theory]
    [MemberData(nameof(Kinds))]
    public async Task Joining_another_room_leaves_the_first_with_its_broadcast_to_its_members_and_the_mover_then_joins_the_second(ClientKind kind)
    {
        var (roomA, roomB) = (SingleNodeFixture.NewRoom(), SingleNodeFixture.NewRoom());
        await using var inA = await fixture.ConnectRawAsync();
        await using var inB = await fixture.ConnectAsync(ClientKind.Json);
        await using var mover = await fixture.ConnectAsync(kind);
        await ChatClients.JoinAllAsync(roomA, inA, mover);
        await ChatClients.JoinAllAsync(roomB, inB);

        await mover.SendAsync("join", new { room = roomB });

        await WireAssert.EventReachesAsync([inA, mover], "leaveroom", mover.Uid, usersCount: 1, loginedCount: 0);
        await WireAssert.EventReachesAsync([mover, inB], "joinroom", mover.Uid, usersCount: 2, loginedCount: 0);

        // The old room no longer reaches the mover; the new one does, and only once.
        await inA.SendAsync("danmu", new { text = "还在A吗" });
        await inA.ReceiveAsync("danmu");
        await inB.SendAsync("danmu", new { text = "欢迎来B" });
        WireAssert.Chat(await mover.ReceiveAsync("danmu"), "danmu", "欢迎来B", inB);
        await mover.AssertNothingPendingAsync();
        await inA.AssertNothingPendingAsync();
    }

    [Theory]
    [MemberData(nameof(Kinds))]
    public async Task Leaving_tells_the_leaver_and_the_remaining_members_and_nothing_reaches_the_leaver_after(ClientKind kind)
    {
        var room = SingleNodeFixture.NewRoom();
        await using var stayer = await fixture.ConnectRawAsync();
        await using var leaver = await fixture.ConnectAsync(kind);
        await using var elsewhere = await fixture.ConnectRawAsync();
        await ChatClients.JoinAllAsync(room, stayer, leaver);
        await elsewhere.JoinAsync(SingleNodeFixture.NewRoom());

        await leaver.SendAsync("leave");

        await WireAssert.EventReachesAsync([leaver, stayer], "leaveroom", leaver.Uid, usersCount: 1, loginedCount: 0);
        await stayer.SendAsync("danmu", new { text = "走了吗" });
        await stayer.ReceiveAsync("danmu");
        await leaver.AssertNothingPendingAsync();
        await elsewhere.AssertNothingPendingAsync();
    }

    [Theory]
    [MemberData(nameof(Kinds))]
    public async Task A_disconnect_leaves_the_room_with_counts_that_exclude_the_departed_connection(ClientKind kind)
    {
        var room = SingleNodeFixture.NewRoom();
        await using var stayer = await fixture.ConnectRawAsync();
        await using var goer = await fixture.ConnectAsync(kind);
        await ChatClients.JoinAllAsync(room, stayer, goer);
        await goer.LogInAsync(Profile.Of("走的人"), [goer, stayer], loginedCount: 1);

        await goer.DisposeAsync();

        WireAssert.Event(await stayer.ReceiveAsync("event"), "leaveroom", goer.Uid, usersCount: 1, loginedCount: 0);
    }

    [Fact]
    public async Task A_connection_dropped_without_a_close_handshake_leaves_the_room_too()
    {
        var room = SingleNodeFixture.NewRoom();
        await using var stayer = await fixture.ConnectAsync(ClientKind.MessagePack);
        await using var dropped = await fixture.ConnectRawAsync();
        await ChatClients.JoinAllAsync(room, stayer, dropped);

        dropped.Abort();

        WireAssert.Event(await stayer.ReceiveAsync("event"), "leaveroom", dropped.Uid, usersCount: 1, loginedCount: 0);
    }

    [Fact]
    public async Task Counts_follow_members_of_every_protocol_joining_logging_in_and_out_leaving_and_disconnecting()
    {
        var room = SingleNodeFixture.NewRoom();
        await using var raw = await fixture.ConnectRawAsync();
        await using var json = await fixture.ConnectAsync(ClientKind.Json);
        await using var messagePack = await fixture.ConnectAsync(ClientKind.MessagePack);
        await using var outsider = await fixture.ConnectRawAsync();
        await outsider.JoinAsync(SingleNodeFixture.NewRoom());
        IChatClient[] all = [raw, json, messagePack];

        await ChatClients.JoinAllAsync(room, raw, json);
        await json.LogInAsync(Profile.Of("json"), [raw, json], loginedCount: 1);

        await messagePack.SendAsync("join", new { room });
        await WireAssert.EventReachesAsync(all, "joinroom", messagePack.Uid, usersCount: 3, loginedCount: 1);
        await raw.LogInAsync(Profile.Of("raw"), all, loginedCount: 2);
        await messagePack.LogInAsync(Profile.Of("msgpack"), all, loginedCount: 3);

        await json.SendAsync("logout");
        WireAssert.Success(await json.ReceiveAsync("logout"), "logout");
        await WireAssert.EventReachesAsync(all, "logout", json.Uid, usersCount: 3, loginedCount: 2);

        await raw.SendAsync("leave");
        await WireAssert.EventReachesAsync(all, "leaveroom", raw.Uid, usersCount: 2, loginedCount: 1);

        await messagePack.DisposeAsync();
        await WireAssert.EventReachesAsync([json], "leaveroom", messagePack.Uid, usersCount: 1, loginedCount: 0);
        await json.AssertNothingPendingAsync();
        await raw.AssertNothingPendingAsync();
        await outsider.AssertNothingPendingAsync();
    }
}
