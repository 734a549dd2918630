using System.Threading.Channels;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Time.Testing;
using Wschat.Hub.Presence;
using Wschat.Hub.Redis;
using Wschat.Tests.EndToEnd;
using Wschat.Tests.Infrastructure;

namespace Wschat.Tests.Cluster;

/// <summary>
/// Leases are renewed and judged by Redis's clock: a node whose clock is minutes off is never
/// reaped while it renews, a dead one is, and a node reaped while alive comes back at once.
/// A hub node watches a room shared with fake peers (see <see cref="PresencePeer"/>).
/// </summary>
public sealed class PresenceLeaseTests : IAsyncLifetime
{
    private const int LeaseSeconds = 2;

    // A peer renews every fifth of its lease. Its fake clock is advanced once its member is in, so the member is under a
    // lease that then runs out: on a loaded box its first lease can lapse, be reaped and be forgotten before the join
    // lands, and a forgotten node that never renews is never reaped again.
    private static readonly TimeSpan RenewalPeriod = TimeSpan.FromSeconds(LeaseSeconds) / 5;

    private RedisServer _redis = null!;
    private HubNode _node = null!;

    public async Task InitializeAsync()
    {
        _redis = await RedisServer.StartAsync();
        _node = await HubNode.StartAsync(settings: [$"Wschat:Redis={_redis.Configuration}", $"Wschat:PresenceLeaseSeconds={LeaseSeconds}"]);
    }

    public async Task DisposeAsync()
    {
        await _node.DisposeAsync();
        await _redis.DisposeAsync();
    }

    [Fact]
    public async Task A_node_whose_clock_is_minutes_behind_is_not_reaped_while_a_dead_one_is()
    {
        var room = SingleNodeFixture.NewRoom();
        await using var watcher = await RawClient.ConnectAsync(_node.RawUri);
        await watcher.JoinAsync(room);
        var deadClock = new FakeTimeProvider(DateTimeOffset.UtcNow);
        await using var skewed = await PresencePeer.StartAsync(_redis, new SkewedClock(TimeSpan.FromMinutes(-5)), LeaseSeconds);
        await using var dead = await PresencePeer.StartAsync(_redis, deadClock, LeaseSeconds);

        // Whichever live node reaps the dead one, the hub node or the skewed peer (which has no room to tell).
        var reaped = Channel.CreateUnbounded<long>();
        Task Reaped(IReadOnlyList<ExpiredMember> members)
        {
            foreach (var member in members)
            {
                reaped.Writer.TryWrite(member.Member.Uid);
            }

            return Task.CompletedTask;
        }

        var hubDepartures = _node.Services.GetRequiredService<PresenceDepartures>();
        hubDepartures.Expired += Reaped;
        skewed.Departures.Expired += Reaped;
        try
        {
            await skewed.JoinAsync(room, 9_000_000_000_000_001);
            await dead.JoinAsync(room, 9_000_000_000_000_002);
            await dead.RenewOnceMoreAsync(deadClock, RenewalPeriod);

            // The dead peer never renews after its first lease; the skewed one renews on time, stamped
            // by a clock 5 minutes behind. The first reaped must be the dead one's member.
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
            Assert.Equal(9_000_000_000_000_002, await reaped.Reader.ReadAsync(timeout.Token));
            Assert.Equal(2, await CountAsync(room) - 1);
        }
        finally
        {
            hubDepartures.Expired -= Reaped;
        }
    }

    [Fact]
    public async Task A_node_reaped_while_alive_writes_its_members_back_as_soon_as_it_renews()
    {
        var room = SingleNodeFixture.NewRoom();
        var clock = new FakeTimeProvider(DateTimeOffset.UtcNow);
        await using var watcher = await RawClient.ConnectAsync(_node.RawUri);
        await watcher.JoinAsync(room);
        await using var stalled = await PresencePeer.StartAsync(_redis, clock, LeaseSeconds);
        await stalled.JoinAsync(room, 9_000_000_000_000_003);
        await stalled.RenewOnceMoreAsync(clock, RenewalPeriod);

        // Its clock stands still: no renewal, so the hub node reaps it.
        var left = await LeaveroomAsync(watcher);
        Assert.Equal(9_000_000_000_000_003, left.GetProperty("uid").GetInt64());

        // It wakes up: its next renewal finds the lease lapsed and re-registers at once.
        await stalled.RenewOnceMoreAsync(clock, RenewalPeriod);
        await Eventually.GetAsync(async () => await CountAsync(room) == 3 ? (object?)true : null, TimeSpan.FromSeconds(20), "the stalled peer's member back in the room");
        Assert.Contains(LogLevel.Warning, stalled.LeaseLog.Levels);
    }

    [Fact]
    public async Task A_member_who_leaves_during_the_resync_after_an_outage_is_not_written_back()
    {
        const int Members = 1000;
        var room = SingleNodeFixture.NewRoom();
        await using var peer = await PresencePeer.StartAsync(_redis, TimeProvider.System, LeaseSeconds);
        for (var i = 0; i < Members; i++)
        {
            await peer.JoinAsync(room, 9_000_000_000_100_000 + i);
        }

        // Redis is back: the resync writes the mirror while every member leaves.
        peer.Recovery.RedisReturned();
        for (var i = 0; i < Members; i++)
        {
            await peer.Store.LeaveAsync(room, 9_000_000_000_100_000 + i, CancellationToken.None);
        }

        await Eventually.GetAsync(() => Task.FromResult(peer.StoreLog.Levels.Contains(LogLevel.Information) ? (object?)true : null), TimeSpan.FromSeconds(30), "the resync done");
        Assert.Equal(default, await peer.Store.GetCountsAsync(room, CancellationToken.None));
    }

    /// <summary>The next leaveroom the watcher sees; if none comes, the failure says what the hub node saw.</summary>
    private async Task<System.Text.Json.JsonElement> LeaveroomAsync(RawClient watcher)
    {
        try
        {
            return await watcher.ReceiveSkippingAsync("event", static e => e.GetProperty("event").GetString() == "leaveroom", TimeSpan.FromSeconds(30));
        }
        catch (TimeoutException timeout)
        {
            var redis = _node.Services.GetRequiredService<RedisConnection>();
            var leases = await new RedisNodeLeases(new RedisPresenceKeys(redis.KeyPrefix)).ListAsync(redis.Database);
            throw new TimeoutException(
                $"{timeout.Message}; the hub node takes Redis for {(redis.IsConnected ? "up" : "away")}; leases left: {string.Join(", ", leases.Select(l => $"{l.Node} {l.Left.TotalMilliseconds:F0} ms"))}",
                timeout);
        }
    }

    /// <summary>The room's count as a newcomer on the hub node sees it (including the newcomer).</summary>
    private async Task<int> CountAsync(string room)
    {
        await using var newcomer = await RawClient.ConnectAsync(_node.RawUri);
        return (await newcomer.JoinAsync(room)).GetProperty("userscount").GetInt32();
    }
}
