using System.IO.Pipelines;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Wschat.Hub.Rooms;
using Wschat.Tests.Infrastructure;
using Xunit.Abstractions;
using static Wschat.Tests.Rooms.RoomMessages;

namespace Wschat.Tests.Rooms;

/// <summary>
/// What <see cref="RoomHubLifetimeManager{THub}"/> does with rooms, over each backplane: two managers
/// on one backplane are two nodes; their connections are real <c>HubConnectionContext</c>s over
/// in-memory pipes. (In memory both managers share the one broker: two nodes' worth of connections
/// in one process, which is what a single node is.)
/// </summary>
public abstract class RoomHubLifetimeManagerSpecification(ITestOutputHelper output) : IAsyncLifetime
{
    private const int MaxQueuedBytes = 16 * 1024;

    private readonly List<(RoomHubLifetimeManager<SpecHub> Manager, TestHubConnection Connection)> _connected = [];
    private readonly Dictionary<RoomHubLifetimeManager<SpecHub>, IRoomAdmission> _admissions = [];
    private readonly ILoggerFactory _logs = TestOutputLoggerProvider.Factory(output);
    private RoomTestBackplane? _backplane;

    private protected abstract Task<RoomTestBackplane> CreateBackplaneAsync(ILoggerFactory logs);

    public async Task InitializeAsync() => _backplane = await CreateBackplaneAsync(_logs);

    public async Task DisposeAsync()
    {
        foreach (var (manager, connection) in _connected)
        {
            await manager.OnDisconnectedAsync(connection.Context).WaitAsync(Within);
            await connection.DisposeAsync();
        }

        if (_backplane is not null)
        {
            await _backplane.DisposeAsync();
        }

        _logs.Dispose();
    }

    [Fact]
    public async Task A_group_send_reaches_its_members_on_both_nodes_and_no_one_else()
    {
        var (a, b) = TwoNodes();
        var room = NewRoom();
        var memberA = await JoinAsync(a, room);
        var memberB = await JoinAsync(b, room);
        var outsiderA = await ConnectAsync(a);
        var outsiderB = await ConnectAsync(b);
        await a.AddToGroupAsync(outsiderA.Id, NewRoom()).WaitAsync(Within);

        await a.SendGroupAsync(room, "danmu", ["hello"]).WaitAsync(Within);

        Assert.Equal(("danmu", "hello"), await memberA.ReceiveAsync());
        Assert.Equal(("danmu", "hello"), await memberB.ReceiveAsync());

        // The members' nodes have handed the message out: had the outsiders got it, it would come before a later direct send.
        await AssertNothingPendingAsync(a, outsiderA);
        await AssertNothingPendingAsync(b, outsiderB);
    }

    [Fact]
    public async Task A_member_that_left_gets_nothing_more_while_the_others_still_do()
    {
        var (a, b) = TwoNodes();
        var room = NewRoom();
        var leaver = await JoinAsync(a, room);
        var stayerA = await JoinAsync(a, room);
        var stayerB = await JoinAsync(b, room);
        await b.SendGroupAsync(room, "danmu", ["before"]).WaitAsync(Within);
        foreach (var member in new[] { leaver, stayerA, stayerB })
        {
            Assert.Equal(("danmu", "before"), await member.ReceiveAsync());
        }

        await a.RemoveFromGroupAsync(leaver.Id, room).WaitAsync(Within);
        await b.SendGroupAsync(room, "danmu", ["after"]).WaitAsync(Within);
        Assert.Equal(("danmu", "after"), await stayerA.ReceiveAsync());
        Assert.Equal(("danmu", "after"), await stayerB.ReceiveAsync());

        await AssertNothingPendingAsync(a, leaver);
    }

    [Fact]
    public async Task A_member_that_stops_reading_is_aborted_once_its_queue_passes_MaxQueuedBytes_while_the_others_get_every_message()
    {
        const int Messages = 400;
        var (a, b) = TwoNodes();
        var room = NewRoom();
        var readerA = await JoinAsync(a, room);
        var readerB = await JoinAsync(b, room);

        // Its pipe holds 1 KiB; beyond that the server's writes to it wait, and its outbox fills.
        var stalled = await JoinAsync(a, room, new TestHubConnection(reads: false, new PipeOptions(pauseWriterThreshold: 1024, resumeWriterThreshold: 512)));
        var padding = new string('x', 200);
        string[] texts = [.. Enumerable.Range(0, Messages).Select(i => $"{i:D4} {padding}")];
        Assert.True(Messages * padding.Length > 1024 + MaxQueuedBytes, "more is sent than the stalled member's pipe and queue hold");

        // Sent in chunks well below the limit that the readers take before the next: the limit is on what a
        // member has not taken yet, and a sender faster than any reader would fill every queue.
        const int Chunk = 20;
        var received = new[] { new List<string?>(), new List<string?>() };
        for (var i = 0; i < Messages; i += Chunk)
        {
            for (var j = i; j < i + Chunk; j++)
            {
                await (j % 2 == 0 ? a : b).SendGroupAsync(room, "danmu", [texts[j]]).WaitAsync(Within);
            }

            received[0].AddRange(await readerA.ReceiveTextsAsync(Chunk));
            received[1].AddRange(await readerB.ReceiveTextsAsync(Chunk));
        }

        await stalled.Aborted.WaitAsync(Within);

        // Both nodes' sends together are one room order, the same for every member.
        Assert.Equal(texts.Order(StringComparer.Ordinal), received[0].Order(StringComparer.Ordinal));
        Assert.Equal(received[0], received[1]);
        Assert.False(readerA.Aborted.IsCompleted);
        Assert.False(readerB.Aborted.IsCompleted);
    }

    [Fact]
    public async Task Past_MaxRooms_a_join_to_a_new_room_throws_while_existing_rooms_take_members_and_an_emptied_room_frees_its_place()
    {
        var node = CreateNode(new RoomLimitsOptions { MaxRooms = 2 });
        var (first, second, third) = (NewRoom(), NewRoom(), NewRoom());
        var inFirst = await JoinAsync(node, first);
        await JoinAsync(node, second);
        var joiner = await ConnectAsync(node);

        await Assert.ThrowsAsync<RoomLimitReachedException>(() => node.AddToGroupAsync(joiner.Id, third).WaitAsync(Within));
        Assert.False(CanEnter(node, third));
        Assert.True(CanEnter(node, first));
        await node.AddToGroupAsync(joiner.Id, first).WaitAsync(Within);
        await node.SendGroupAsync(first, "danmu", ["to the first"]).WaitAsync(Within);
        Assert.Equal(("danmu", "to the first"), await joiner.ReceiveAsync());

        await node.RemoveFromGroupAsync(inFirst.Id, first).WaitAsync(Within);
        await node.RemoveFromGroupAsync(joiner.Id, first).WaitAsync(Within);
        Assert.True(CanEnter(node, third));
        await node.AddToGroupAsync(joiner.Id, third).WaitAsync(Within);
        await node.SendGroupAsync(third, "danmu", ["to the third"]).WaitAsync(Within);
        Assert.Equal(("danmu", "to the third"), await joiner.ReceiveAsync());
        Assert.Equal(("danmu", "to the first"), await inFirst.ReceiveAsync());
        await AssertNothingPendingAsync(node, inFirst);
    }

    [Fact]
    public async Task A_joiner_racing_the_last_leave_of_a_room_gets_the_rooms_messages_and_the_room_counts_once()
    {
        // One room allowed: a room counted twice, or not let go, would refuse the next round's join.
        var (a, b) = (CreateNode(new RoomLimitsOptions { MaxRooms = 1 }), CreateNode());
        var room = NewRoom();
        await JoinAsync(b, room);
        var leaver = await JoinAsync(a, room);
        var joiner = await ConnectAsync(a);
        for (var round = 0; round < 30; round++)
        {
            await Task.WhenAll(
                Task.Run(() => a.RemoveFromGroupAsync(leaver.Id, room)),
                Task.Run(() => a.AddToGroupAsync(joiner.Id, room))).WaitAsync(Within);

            await b.SendGroupAsync(room, "danmu", [$"round {round}"]).WaitAsync(Within);
            Assert.Equal(("danmu", $"round {round}"), await joiner.ReceiveAsync());
            await AssertNothingPendingAsync(a, leaver);
            (leaver, joiner) = (joiner, leaver);
        }

        await a.RemoveFromGroupAsync(leaver.Id, room).WaitAsync(Within);
        Assert.True(CanEnter(a, NewRoom()));
    }

    /// <summary>A direct send is the connection's very next message: one connection's messages keep their order, so nothing else waits before it.</summary>
    private protected static async Task AssertNothingPendingAsync(RoomHubLifetimeManager<SpecHub> node, TestHubConnection connection)
    {
        await node.SendConnectionAsync(connection.Id, "marker", [connection.Id]).WaitAsync(Within);
        Assert.Equal(("marker", connection.Id), await connection.ReceiveAsync());
    }

    private protected (RoomHubLifetimeManager<SpecHub> A, RoomHubLifetimeManager<SpecHub> B) TwoNodes() => (CreateNode(), CreateNode());

    private RoomHubLifetimeManager<SpecHub> CreateNode(RoomLimitsOptions? limits = null)
    {
        var broker = _backplane!.CreateNode(new RoomHistoryOptions());
        var services = new ServiceCollection().AddLogging().BuildServiceProvider();
        var rooms = new LocalRooms<SpecHub>(Options.Create(limits ?? new RoomLimitsOptions()));
        var node = new RoomHubLifetimeManager<SpecHub>(
            services, broker, _backplane.CreateClusterBus<SpecHub>(broker), new LocalConnections<SpecHub>(), rooms, TestOutbound.Queues(MaxQueuedBytes, logs: _logs), TestMetrics.Wschat, _logs.CreateLogger<RoomHubLifetimeManager<SpecHub>>());
        _admissions[node] = rooms;
        return node;
    }

    /// <summary>What the hub asks the node before a join.</summary>
    private bool CanEnter(RoomHubLifetimeManager<SpecHub> node, string room) => _admissions[node].CanEnter(room);

    private protected async Task<TestHubConnection> ConnectAsync(RoomHubLifetimeManager<SpecHub> node, TestHubConnection? connection = null)
    {
        connection ??= new TestHubConnection();
        await node.OnConnectedAsync(connection.Context).WaitAsync(Within);
        _connected.Add((node, connection));
        return connection;
    }

    private async Task<TestHubConnection> JoinAsync(RoomHubLifetimeManager<SpecHub> node, string room, TestHubConnection? connection = null)
    {
        connection = await ConnectAsync(node, connection);
        await node.AddToGroupAsync(connection.Id, room).WaitAsync(Within);
        return connection;
    }
}

/// <summary>The hub type the managers are made for; never invoked.</summary>
public sealed class SpecHub : Microsoft.AspNetCore.SignalR.Hub
{
}

/// <summary>The lifetime manager of a single node.</summary>
public sealed class MemoryRoomHubLifetimeManagerTests(ITestOutputHelper output) : RoomHubLifetimeManagerSpecification(output)
{
    private protected override Task<RoomTestBackplane> CreateBackplaneAsync(ILoggerFactory logs) => Task.FromResult<RoomTestBackplane>(new MemoryTestBackplane());
}

/// <summary>The lifetime managers of two nodes of a cluster on one real redis-server.</summary>
public sealed class RedisRoomHubLifetimeManagerTests(ITestOutputHelper output) : RoomHubLifetimeManagerSpecification(output)
{
    private protected override async Task<RoomTestBackplane> CreateBackplaneAsync(ILoggerFactory logs) => await RedisTestBackplane.StartAsync(logs);

    [Fact]
    public async Task A_user_send_reaches_the_users_connection_on_either_node_once()
    {
        var (a, b) = TwoNodes();
        var onA = await ConnectAsync(a, new TestHubConnection(user: "1001"));
        var onB = await ConnectAsync(b, new TestHubConnection(user: "1002"));
        var other = await ConnectAsync(b, new TestHubConnection(user: "1003"));

        await a.SendUsersAsync(["1002", "1001"], "sendto", ["to both"]).WaitAsync(Within);

        Assert.Equal(("sendto", "to both"), await onA.ReceiveAsync());
        Assert.Equal(("sendto", "to both"), await onB.ReceiveAsync());

        // Had anyone got it twice, or the other user once, it would come before the marker.
        await AssertNothingPendingAsync(a, onA);
        await AssertNothingPendingAsync(b, onB);
        await AssertNothingPendingAsync(b, other);
    }

    [Fact]
    public async Task A_send_to_everyone_reaches_every_node_but_the_excluded_and_a_connection_send_finds_its_node()
    {
        var (a, b) = TwoNodes();
        var onA = await ConnectAsync(a);
        var onB = await ConnectAsync(b);
        var excluded = await ConnectAsync(b);

        await a.SendAllExceptAsync("notice", ["all"], [excluded.Id]).WaitAsync(Within);
        await a.SendConnectionAsync(excluded.Id, "notice", ["you"]).WaitAsync(Within);

        Assert.Equal(("notice", "all"), await onA.ReceiveAsync());
        Assert.Equal(("notice", "all"), await onB.ReceiveAsync());
        Assert.Equal(("notice", "you"), await excluded.ReceiveAsync());
        await AssertNothingPendingAsync(b, excluded);
    }
}
