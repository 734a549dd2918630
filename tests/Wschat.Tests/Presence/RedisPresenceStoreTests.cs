using Microsoft.Extensions.Logging;
using Wschat.Hub.Identity;
using Wschat.Hub.Presence;
using Wschat.Tests.Infrastructure;
using Xunit.Abstractions;

namespace Wschat.Tests.Presence;

/// <summary>The presence of a cluster: each node's store on its own connection to one real redis-server.</summary>
public sealed class RedisPresenceStoreTests(ITestOutputHelper output) : PresenceStoreSpecification(output)
{
    private protected override bool OnRedis => true;

    private protected override async Task<IPresenceStore> CreateNodeAsync()
    {
        var node = await Redis.ConnectAsync();
        var keys = new RedisPresenceKeys(node.Connection.KeyPrefix);
        return new RedisPresenceStore(node.Connection, node.Recovery, keys, new RedisRoomCommands(keys), new NodeIdentity(), Logs.CreateLogger<RedisPresenceStore>());
    }

    [Fact]
    public async Task While_Redis_is_away_a_node_answers_for_its_own_members_and_when_Redis_returns_empty_every_node_writes_its_members_back()
    {
        var a = await CreateNodeAsync();
        var b = await CreateNodeAsync();
        var login = new UserLogin("a", "", "a", "", 1);
        await a.JoinAsync("room", new RoomMember(1, "10.0.0.1", login), None).DefaultTimeout();
        await a.JoinAsync("room", new RoomMember(2, "10.0.0.2", null), None).DefaultTimeout();
        await b.JoinAsync("room", new RoomMember(3, "10.0.0.3", null), None).DefaultTimeout();

        await Redis.Server.StopAsync();

        // The first answers may still come from Redis's last moments on a node that has not seen the loss yet.
        await Eventually.GetAsync(async () => await a.GetCountsAsync("room", None).DefaultTimeout() == new RoomCounts(2, 1) ? "a's share" : null, TaskTimeouts.Default, "node A answering for its own members");
        Assert.Equal(new RoomCounts(3, 1), await a.JoinAsync("room", new RoomMember(4, "10.0.0.4", null), None).DefaultTimeout());
        Assert.Equal(new RoomCounts(0, 0), await b.LeaveAsync("room", 3, None).DefaultTimeout());

        await Redis.Server.RestartAsync();

        await Eventually.GetAsync(async () => await b.GetCountsAsync("room", None).DefaultTimeout() == new RoomCounts(3, 1) ? "the cluster's counts" : null, TimeSpan.FromSeconds(30), "node A's members back in Redis");
        Assert.Equal(new RoomMember(4, "10.0.0.4", null), await b.FindMemberAsync("room", 4, None).DefaultTimeout());
        Assert.Equal(["room"], (await b.ListRoomsAsync("", 10, None).DefaultTimeout()).Select(static r => r.Room));
    }
}
