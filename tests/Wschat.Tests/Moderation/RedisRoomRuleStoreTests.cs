using Microsoft.Extensions.Logging;
using Wschat.Hub.Moderation;
using Wschat.Tests.Infrastructure;
using Xunit.Abstractions;

namespace Wschat.Tests.Moderation;

/// <summary>The room rules of a cluster: each node's store, with its cache, on its own connection to one real redis-server.</summary>
public sealed class RedisRoomRuleStoreTests(ITestOutputHelper output) : RoomRuleStoreSpecification(output)
{
    private protected override bool OnRedis => true;

    private protected override async Task<IRoomRuleStore> CreateNodeAsync()
    {
        var node = await Redis.ConnectAsync();
        return new RedisRoomRuleStore(node.Connection, node.Recovery, Time, Logs.CreateLogger<RedisRoomRuleStore>());
    }

    [Fact]
    public async Task While_Redis_is_away_the_rules_a_node_had_read_stay_in_force()
    {
        var node = await CreateNodeAsync();
        await node.MuteAsync("room", [RoomRules.UidKey(7)], Time.GetUtcNow().AddMinutes(1), None).DefaultTimeout();
        await node.SetSilencedAsync("room", true, None).DefaultTimeout();
        await node.GetAsync("room", None).DefaultTimeout();

        await Redis.Server.StopAsync();

        var rules = await node.GetAsync("room", None).DefaultTimeout();
        Assert.True(rules.Silenced);
        Assert.True(rules.IsMuted(7, null, Time.GetUtcNow()));
    }
}
