using Microsoft.Extensions.Options;
using StackExchange.Redis;
using Wschat.Hub.Backplane;
using Wschat.Hub.Hosting;
using Wschat.Hub.Identity;

namespace Wschat.Hub.Presence;

/// <summary>
/// Ties this node's presence to a lease it renews in Redis, and removes the members of nodes whose
/// lease ran out (a crash or SIGKILL leaves no ghosts). On a graceful stop the node removes its own
/// entries at once.
/// </summary>
internal sealed class PresenceLeaseService(
    RedisConnection redis,
    RedisPresenceKeys keys,
    RedisRoomCommands rooms,
    NodeIdentity node,
    PresenceDepartures departures,
    IOptions<WschatOptions> options,
    TimeProvider time,
    ILogger<PresenceLeaseService> logger) : BackgroundService
{
    private TimeSpan Lease => TimeSpan.FromSeconds(options.Value.PresenceLeaseSeconds);

    public override async Task StopAsync(CancellationToken cancellationToken)
    {
        await base.StopAsync(cancellationToken);
        if (!redis.IsConnected)
        {
            return;
        }

        try
        {
            // Connections announce their own departure as they close; this only sweeps stragglers.
            await redis.Database.SortedSetRemoveAsync(keys.Nodes, node.Id);
            await RemoveNodeAsync(node.Id, announce: false);
        }
        catch (Exception ex) when (ex is RedisException or TimeoutException)
        {
            PresenceLog.LeaseFailed(logger, ex);
        }
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(Lease / 5, time);
        long? connectedSince = null;
        do
        {
            if (!redis.IsConnected)
            {
                connectedSince = null;
                continue;
            }

            var now = time.GetUtcNow().ToUnixTimeMilliseconds();
            connectedSince ??= now;
            try
            {
                await redis.Database.SortedSetAddAsync(keys.Nodes, node.Id, now + Lease.TotalMilliseconds);

                // After an outage every lease looks stale: give the other nodes one lease to renew theirs first.
                if (now - connectedSince >= Lease.TotalMilliseconds)
                {
                    await ReapExpiredAsync(now);
                }
            }
            catch (Exception ex) when (ex is RedisException or TimeoutException)
            {
                PresenceLog.LeaseFailed(logger, ex);
            }
        }
        while (await timer.WaitForNextTickAsync(stoppingToken));
    }

    private async Task ReapExpiredAsync(long now)
    {
        var db = redis.Database;
        foreach (var expired in await db.SortedSetRangeByScoreAsync(keys.Nodes, double.NegativeInfinity, now))
        {
            // Removing the lease claims the node: exactly one survivor reaps it.
            if ((string?)expired != node.Id && await db.SortedSetRemoveAsync(keys.Nodes, expired))
            {
                await RemoveNodeAsync((string)expired!, announce: true);
            }
        }
    }

    private async Task RemoveNodeAsync(string owner, bool announce)
    {
        var db = redis.Database;
        var expired = new List<ExpiredMember>();
        foreach (var entry in await db.HashGetAllAsync(keys.NodeMembers(owner)))
        {
            var room = (string)entry.Value!;
            var (counts, member) = await rooms.LeaveAsync(db, room, (long)entry.Name);
            expired.Add(new ExpiredMember(room, member, counts));
        }

        var uids = await db.SetMembersAsync(keys.NodeConnected(owner));
        if (uids.Length > 0)
        {
            await db.HashDeleteAsync(keys.Connected, uids);
        }

        await db.KeyDeleteAsync([keys.NodeMembers(owner), keys.NodeConnected(owner)]);
        if (announce)
        {
            PresenceLog.ReapedNode(logger, owner, expired.Count);
            await departures.ReportAsync(expired);
        }
    }
}
