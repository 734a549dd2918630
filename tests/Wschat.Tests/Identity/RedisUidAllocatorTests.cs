using Microsoft.Extensions.Logging;
using Wschat.Hub.Identity;
using Wschat.Tests.Infrastructure;
using Xunit.Abstractions;

namespace Wschat.Tests.Identity;

/// <summary>
/// The uids of a cluster: blocks leased from one counter in a real redis-server, each node on its own
/// connection; a node's own range while Redis is away.
/// </summary>
public sealed class RedisUidAllocatorTests(ITestOutputHelper output) : UidAllocatorSpecification(output)
{
    private protected override bool OnRedis => true;

    private protected override async Task<IUidAllocator> CreateNodeAsync() => await StartNodeAsync();

    private protected override async Task<IUidAllocator> RestartAsync(IUidAllocator node) => await StartNodeAsync();

    /// <summary>A node's allocator with its first block leased, as a server starts it.</summary>
    private async Task<RedisUidAllocator> StartNodeAsync()
    {
        var node = await Redis.ConnectAsync();
        var allocator = new RedisUidAllocator(node.Connection, node.Recovery, Clock, Logs.CreateLogger<RedisUidAllocator>());
        await allocator.LeaseAheadAsync().DefaultTimeout();
        return allocator;
    }

    [Fact]
    public async Task After_Redis_lost_its_data_a_restarted_node_starts_above_every_uid_of_the_previous_run()
    {
        // Two blocks, each leased before it is needed, as a server does.
        var node = await StartNodeAsync();
        var previousRun = Allocate(node, 1000).ToList();
        await node.LeaseAheadAsync().DefaultTimeout();
        previousRun.AddRange(Allocate(node, 500));

        await Redis.FlushAllAsync();
        Clock.Advance(TimeSpan.FromSeconds(1));

        Assert.True((await RestartAsync(node)).Allocate() > previousRun.Max());
    }

    [Fact]
    public async Task A_Redis_outage_is_bridged_by_the_leased_block()
    {
        var node = await StartNodeAsync();
        var first = node.Allocate();

        await Redis.Server.StopAsync();

        // The rest of the block (the prefetch at half of it fails) needs no Redis.
        var rest = Allocate(node, 999);
        Assert.Equal(Enumerable.Range(1, 999).Select(i => first + i), rest);
    }

    [Fact]
    public async Task A_Redis_outage_longer_than_the_block_never_blocks_and_uids_stay_unique_and_below_2_pow_53()
    {
        var node = await StartNodeAsync();
        var before = Allocate(node, 10);

        // Redis returns empty a second later: the counter starts again from the clock.
        await Redis.Server.StopAsync();
        var during = Allocate(node, 5000);
        Clock.Advance(TimeSpan.FromSeconds(1));
        await Redis.Server.RestartAsync();
        await Eventually.GetAsync(async () => { await node.LeaseAheadAsync().DefaultTimeout(); return (object?)true; }, TimeSpan.FromSeconds(20), "a block leased again");
        var after = Allocate(node, 2000);

        AssertUniqueAndSafe([.. before, .. during, .. after]);
    }

    [Fact]
    public async Task A_hub_node_started_without_Redis_accepts_connections_and_says_it_is_degraded()
    {
        await using var node = await HubNode.StartAsync(settings: $"Wschat:Redis=127.0.0.1:{FreePort.Next()}");
        await using var first = await RawClient.ConnectAsync(node.RawUri);
        await using var second = await RawClient.ConnectAsync(node.RawUri);
        using var http = new HttpClient();

        Assert.NotEqual(first.Uid, second.Uid);
        Assert.All([first.Uid, second.Uid], static uid => Assert.InRange(uid, 1, MaxSafeInteger));
        Assert.Contains("\"Degraded\"", await http.GetStringAsync(new Uri(node.BaseUri, "/healthz")), StringComparison.Ordinal);
    }
}
