using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Wschat.Hub.Identity;
using Wschat.Hub.Redis;
using Wschat.Tests.Infrastructure;

namespace Wschat.Tests.Hosting;

/// <summary>Uids from the clock or from blocks leased in Redis: unique, increasing, safe as JavaScript numbers, never reused after a restart.</summary>
public sealed class UidAllocatorTests
{
    private const long MaxSafeInteger = (1L << 53) - 1;

    [Theory]
    [InlineData("2014-10-10T16:04:35Z")]
    [InlineData("2025-06-07T05:16:54Z")]
    [InlineData("2250-01-01T00:00:00Z")]
    public void Uids_strictly_increase_within_one_millisecond_and_stay_below_2_pow_53(string now)
    {
        var allocator = Clock(new ManualClock(DateTimeOffset.Parse(now, System.Globalization.CultureInfo.InvariantCulture)));

        var uids = Allocate(allocator, 999);

        Assert.All(uids.Zip(uids.Skip(1)), static pair => Assert.True(pair.Second > pair.First));
        Assert.All(uids, static uid => Assert.InRange(uid, 1, MaxSafeInteger));
    }

    [Fact]
    public void A_restart_one_millisecond_later_starts_above_every_uid_of_the_previous_run()
    {
        var clock = new ManualClock(DateTimeOffset.UtcNow);
        var mark = MarkPath();
        var previousRun = Allocate(Clock(clock, mark), 999);

        clock.Advance(TimeSpan.FromMilliseconds(1));

        Assert.True(Clock(clock, mark).Allocate() > previousRun.Max());
    }

    [Fact]
    public void A_restart_after_the_clock_stepped_back_starts_above_every_uid_of_the_previous_run()
    {
        var clock = new ManualClock(DateTimeOffset.UtcNow);
        var mark = MarkPath();
        var previousRun = Allocate(Clock(clock, mark), 999);

        clock.Advance(TimeSpan.FromHours(-1));

        Assert.True(Clock(clock, mark).Allocate() > previousRun.Max());
    }

    [Fact]
    public void A_clock_stepping_back_does_not_make_uids_go_back()
    {
        var clock = new ManualClock(DateTimeOffset.UtcNow);
        var allocator = Clock(clock);
        var before = allocator.Allocate();

        clock.Advance(TimeSpan.FromSeconds(-5));

        Assert.True(allocator.Allocate() > before);
    }

    [Fact]
    public void Uids_allocated_from_many_threads_at_once_are_unique()
    {
        var allocator = Clock(new ManualClock(DateTimeOffset.UtcNow));
        var uids = new long[8][];

        Parallel.For(0, uids.Length, i => uids[i] = Allocate(allocator, 500));

        var all = uids.SelectMany(static u => u).ToArray();
        Assert.Equal(all.Length, all.Distinct().Count());
    }

    [Fact]
    public async Task Uids_leased_in_blocks_by_two_nodes_on_one_Redis_from_many_threads_are_unique()
    {
        await using var redis = await RedisServer.StartAsync();
        using var nodeA = Connect(redis);
        using var nodeB = Connect(redis);
        var allocators = new[] { Allocator(nodeA), Allocator(nodeB) };
        var uids = new long[8][];

        // 8 x 700 uids: several blocks of 1,000 per node, so leases race with allocations (a caller
        // that finds its block dry takes uids from its node's own range instead of waiting).
        var threads = Enumerable.Range(0, uids.Length).Select(i => new Thread(() => uids[i] = Allocate(allocators[i % 2], 700))).ToArray();
        Array.ForEach(threads, static t => t.Start());
        Array.ForEach(threads, static t => t.Join());

        var all = uids.SelectMany(static u => u).ToArray();
        Assert.Equal(all.Length, all.Distinct().Count());
        Assert.All(all, static uid => Assert.InRange(uid, 1, MaxSafeInteger));
    }

    [Fact]
    public async Task After_Redis_lost_its_data_a_restarted_node_starts_above_every_uid_of_the_previous_run()
    {
        await using var redis = await RedisServer.StartAsync();
        var previousRun = new List<long>();
        using (var connection = Connect(redis))
        {
            // Two blocks, each leased before it is needed, as a server does.
            var allocator = Allocator(connection);
            await allocator.LeaseAheadAsync();
            previousRun.AddRange(Allocate(allocator, 1000));
            await allocator.LeaseAheadAsync();
            previousRun.AddRange(Allocate(allocator, 500));
        }

        await redis.StopAsync();
        await redis.RestartAsync();
        await Task.Delay(TimeSpan.FromMilliseconds(5));
        using var nextRun = Connect(redis);
        var next = Allocator(nextRun);
        await next.LeaseAheadAsync();

        Assert.True(next.Allocate() > previousRun.Max());
    }

    [Fact]
    public async Task A_Redis_outage_is_bridged_by_the_leased_block()
    {
        await using var redis = await RedisServer.StartAsync();
        using var connection = Connect(redis);
        var allocator = Allocator(connection);
        await allocator.LeaseAheadAsync();
        var first = allocator.Allocate();

        await redis.StopAsync();

        // The rest of the block (the prefetch at half of it fails) needs no Redis.
        var rest = Allocate(allocator, 999);
        Assert.Equal(Enumerable.Range(1, 999).Select(i => first + i), rest);
    }

    [Fact]
    public async Task A_Redis_outage_longer_than_the_block_never_blocks_and_uids_stay_unique_and_below_2_pow_53()
    {
        await using var redis = await RedisServer.StartAsync();
        using var connection = Connect(redis);
        var allocator = Allocator(connection);
        await allocator.LeaseAheadAsync();
        var before = Allocate(allocator, 10);

        await redis.StopAsync();
        var during = Allocate(allocator, 5000);
        await redis.RestartAsync();
        await Eventually.GetAsync(async () => { await allocator.LeaseAheadAsync(); return (object?)true; }, TimeSpan.FromSeconds(20), "a block leased again");
        var after = Allocate(allocator, 2000);

        long[] all = [.. before, .. during, .. after];
        Assert.Equal(all.Length, all.Distinct().Count());
        Assert.All(all, static uid => Assert.InRange(uid, 1, MaxSafeInteger));
    }

    [Fact]
    public async Task A_node_started_without_Redis_accepts_connections_and_says_it_is_degraded()
    {
        await using var node = await HubNode.StartAsync(settings: $"Wschat:Redis=127.0.0.1:{FreePort.Next()}");
        await using var first = await RawClient.ConnectAsync(node.RawUri);
        await using var second = await RawClient.ConnectAsync(node.RawUri);
        using var http = new HttpClient();

        Assert.NotEqual(first.Uid, second.Uid);
        Assert.All([first.Uid, second.Uid], static uid => Assert.InRange(uid, 1, MaxSafeInteger));
        Assert.Contains("\"Degraded\"", await http.GetStringAsync(new Uri(node.BaseUri, "/healthz")), StringComparison.Ordinal);
    }

    private static string MarkPath() => Path.Combine(TempDirectory.Create(), "uid-mark");

    private static ClockUidAllocator Clock(TimeProvider clock, string? markPath = null) => new(clock, markPath ?? MarkPath());

    private static RedisConnection Connect(RedisServer redis) => new(
        Options.Create(new RedisConnectionOptions { Redis = redis.Configuration, RedisPrefix = "uids-test" }),
        new RedisRecovery(TimeProvider.System, NullLogger<RedisRecovery>.Instance),
        TestMetrics.Wschat,
        NullLogger<RedisConnection>.Instance);

    private static RedisUidAllocator Allocator(RedisConnection connection) =>
        new(connection, new RedisRecovery(TimeProvider.System, NullLogger<RedisRecovery>.Instance), TimeProvider.System, NullLogger<RedisUidAllocator>.Instance);

    private static long[] Allocate(IUidAllocator allocator, int count) => Enumerable.Range(0, count).Select(_ => allocator.Allocate()).ToArray();

    /// <summary>A clock that moves only when told, backwards too.</summary>
    private sealed class ManualClock(DateTimeOffset now) : TimeProvider
    {
        private DateTimeOffset _now = now;

        public override DateTimeOffset GetUtcNow() => _now;

        public void Advance(TimeSpan by) => _now += by;
    }
}
