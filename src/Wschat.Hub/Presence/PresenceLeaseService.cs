using Microsoft.Extensions.Options;
using StackExchange.Redis;
using Wschat.Hub.Identity;
using Wschat.Hub.Redis;

namespace Wschat.Hub.Presence;

/// <summary>
/// Ties this node's presence to a lease it renews in Redis, and removes the members of nodes whose
/// lease ran out (a crash or SIGKILL leaves no ghosts). On a graceful stop the node removes its own
/// entries at once.
/// </summary>
internal sealed class PresenceLeaseService : BackgroundService
{
    private readonly RedisConnection _redis;
    private readonly RedisPresenceKeys _keys;
    private readonly RedisRoomCommands _rooms;
    private readonly NodeIdentity _node;
    private readonly PresenceDepartures _departures;
    private readonly TimeProvider _time;
    private readonly ILogger<PresenceLeaseService> _logger;
    private readonly TimeSpan _lease;

    // Unix ms before which no other node is reaped: after start and after every outage, every
    // lease looks stale, so the other nodes get one lease to renew theirs first.
    private long _reapFrom;

    public PresenceLeaseService(
        RedisConnection redis,
        RedisRecovery recovery,
        RedisPresenceKeys keys,
        RedisRoomCommands rooms,
        NodeIdentity node,
        PresenceDepartures departures,
        IOptions<PresenceOptions> options,
        TimeProvider time,
        ILogger<PresenceLeaseService> logger)
    {
        _redis = redis;
        _keys = keys;
        _rooms = rooms;
        _node = node;
        _departures = departures;
        _time = time;
        _logger = logger;
        _lease = TimeSpan.FromSeconds(options.Value.PresenceLeaseSeconds);
        _reapFrom = Now + (long)_lease.TotalMilliseconds;

        // Renew at once rather than at the next tick, so no survivor takes this node for dead.
        recovery.OnRestored("presence lease", _ =>
        {
            Volatile.Write(ref _reapFrom, Now + (long)_lease.TotalMilliseconds);
            return RenewAsync(Now);
        });
    }

    private long Now => _time.GetUtcNow().ToUnixTimeMilliseconds();

    public override async Task StopAsync(CancellationToken cancellationToken)
    {
        await base.StopAsync(cancellationToken);
        if (!_redis.IsConnected)
        {
            return;
        }

        try
        {
            // Connections announce their own departure as they close; this only sweeps stragglers.
            await _redis.Database.SortedSetRemoveAsync(_keys.Nodes, _node.Id);
            await RemoveNodeAsync(_node.Id, announce: false);
        }
        catch (Exception ex) when (ex is RedisException or TimeoutException)
        {
            PresenceLog.LeaseFailed(_logger, ex);
        }
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(_lease / 5, _time);
        do
        {
            if (!_redis.IsConnected)
            {
                continue;
            }

            var now = Now;
            try
            {
                await RenewAsync(now);
                if (now >= Volatile.Read(ref _reapFrom))
                {
                    await ReapExpiredAsync(now);
                }
            }
            catch (Exception ex) when (ex is RedisException or TimeoutException)
            {
                PresenceLog.LeaseFailed(_logger, ex);
            }
        }
        while (await timer.WaitForNextTickAsync(stoppingToken));
    }

    private Task<bool> RenewAsync(long now) => _redis.Database.SortedSetAddAsync(_keys.Nodes, _node.Id, now + _lease.TotalMilliseconds);

    private async Task ReapExpiredAsync(long now)
    {
        var db = _redis.Database;
        foreach (var expired in await db.SortedSetRangeByScoreAsync(_keys.Nodes, double.NegativeInfinity, now))
        {
            // Removing the lease claims the node: exactly one survivor reaps it.
            if ((string?)expired != _node.Id && await db.SortedSetRemoveAsync(_keys.Nodes, expired))
            {
                await RemoveNodeAsync((string)expired!, announce: true);
            }
        }
    }

    private async Task RemoveNodeAsync(string owner, bool announce)
    {
        var db = _redis.Database;
        var expired = new List<ExpiredMember>();
        foreach (var entry in await db.HashGetAllAsync(_keys.NodeMembers(owner)))
        {
            var room = (string)entry.Value!;
            var (counts, member) = await _rooms.LeaveAsync(db, room, (long)entry.Name);
            expired.Add(new ExpiredMember(room, member, counts));
        }

        var uids = await db.SetMembersAsync(_keys.NodeConnected(owner));
        if (uids.Length > 0)
        {
            await db.HashDeleteAsync(_keys.Connected, uids);
        }

        // One key at a time: on Redis Cluster the two indexes may live in different slots.
        await db.KeyDeleteAsync(_keys.NodeMembers(owner));
        await db.KeyDeleteAsync(_keys.NodeConnected(owner));
        if (announce)
        {
            PresenceLog.ReapedNode(_logger, owner, expired.Count);
            await _departures.ReportAsync(expired);
        }
    }
}
