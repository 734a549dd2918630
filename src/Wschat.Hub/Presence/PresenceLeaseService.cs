using Microsoft.Extensions.Options;
using StackExchange.Redis;
using Wschat.Hub.Identity;
using Wschat.Hub.Redis;

namespace Wschat.Hub.Presence;

/// <summary>
/// Ties this node's presence to a lease it renews in Redis (by Redis's clock), and removes the
/// members of nodes whose lease ran out (a crash or SIGKILL leaves no ghosts). A node that finds
/// its own lease lapsed (it stalled, or was cut off) writes its presence back at once. On a
/// graceful stop the node removes its own entries at once.
/// </summary>
internal sealed class PresenceLeaseService : BackgroundService
{
    private readonly RedisConnection _redis;
    private readonly RedisPresenceKeys _keys;
    private readonly RedisRoomCommands _rooms;
    private readonly RedisNodeLeases _leases;
    private readonly RedisPresenceStore _presence;
    private readonly NodeIdentity _node;
    private readonly PresenceDepartures _departures;
    private readonly TimeProvider _time;
    private readonly ILogger<PresenceLeaseService> _logger;
    private readonly TimeSpan _lease;

    // Renewals come from the timer and from Redis returning: one at a time.
    private readonly SemaphoreSlim _renewing = new(1, 1);

    // Lapsed nodes this one has reaped once; reaped again only before they are forgotten. Sweep loop only.
    private readonly HashSet<string> _reaped = [];

    // Timestamp before which no other node is reaped: after start and after every outage, every
    // lease may have lapsed, so the other nodes get one lease to renew theirs first.
    private long _reapFrom;

    // Guarded by _renewing. Whether this node has registered since it started or Redis returned
    // (before that, a lapsed or absent lease is expected); and a lost lease not yet made good.
    private bool _registered;
    private LeaseRenewal? _lost;

    public PresenceLeaseService(
        RedisConnection redis,
        RedisRecovery recovery,
        RedisPresenceKeys keys,
        RedisRoomCommands rooms,
        RedisNodeLeases leases,
        RedisPresenceStore presence,
        NodeIdentity node,
        PresenceDepartures departures,
        IOptions<PresenceOptions> options,
        TimeProvider time,
        ILogger<PresenceLeaseService> logger)
    {
        _redis = redis;
        _keys = keys;
        _rooms = rooms;
        _leases = leases;
        _presence = presence;
        _node = node;
        _departures = departures;
        _time = time;
        _logger = logger;
        _lease = TimeSpan.FromSeconds(options.Value.PresenceLeaseSeconds);
        _reapFrom = OneLeaseFromNow;

        // Renew at once rather than at the next tick, so no survivor takes this node for dead.
        // The presence resync writes this node's state back, so a lapsed lease is no news here.
        recovery.OnRestored("presence lease", _ =>
        {
            Volatile.Write(ref _reapFrom, OneLeaseFromNow);
            return RenewAsync(afterOutage: true);
        });
    }

    private long OneLeaseFromNow => _time.GetTimestamp() + (long)(_lease.TotalSeconds * _time.TimestampFrequency);

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
            await _leases.RemoveAsync(_redis.Database, _node.Id);
            await RemoveMembersAsync(_node.Id, announce: false);
            await _redis.Database.KeyDeleteAsync([_keys.NodeMembers(_node.Id), _keys.NodeConnected(_node.Id)]);
        }
        catch (Exception ex) when (ex is RedisException or TimeoutException)
        {
            PresenceLog.LeaseFailed(_logger, ex);
        }
    }

    public override void Dispose()
    {
        base.Dispose();
        _renewing.Dispose();
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

            try
            {
                await RenewAsync(afterOutage: false);
                if (_time.GetTimestamp() >= Volatile.Read(ref _reapFrom))
                {
                    await ReapExpiredAsync();
                }
            }
            catch (Exception ex) when (ex is RedisException or TimeoutException)
            {
                PresenceLog.LeaseFailed(_logger, ex);
            }
        }
        while (await timer.WaitForNextTickAsync(stoppingToken));
    }

    private async Task RenewAsync(bool afterOutage)
    {
        await _renewing.WaitAsync();
        try
        {
            _registered &= !afterOutage;
            var renewal = await _leases.RenewAsync(_redis.Database, _node.Id, _lease);
            if (renewal != LeaseRenewal.Held && _registered)
            {
                _lost = renewal;
            }

            _registered = true;
            if (_lost is { } lost)
            {
                // Survivors may have removed this node's members and uids while they are connected.
                var (members, connections) = await _presence.ReRegisterAsync();
                _lost = null;
                PresenceLog.LeaseLost(_logger, lost, members, connections);
            }
        }
        finally
        {
            _renewing.Release();
        }
    }

    private async Task ReapExpiredAsync()
    {
        var db = _redis.Database;
        var expired = await _leases.ExpiredAsync(db);
        _reaped.IntersectWith(expired.Select(static e => e.Node));
        foreach (var (node, lapsed) in expired)
        {
            // Reaped at first sight, and once more before it is forgotten (a lease later), which
            // takes back whatever its commands still on their way when it died had added.
            if (node == _node.Id || !(_reaped.Add(node) || lapsed >= _lease))
            {
                continue;
            }

            await RemoveMembersAsync(node, announce: true);
            if (await _leases.FinishAsync(db, node, grace: _lease))
            {
                _reaped.Remove(node);
            }
        }
    }

    /// <summary>Removes <paramref name="owner"/>'s members from their rooms and its uids; leaves its index.</summary>
    private async Task RemoveMembersAsync(string owner, bool announce)
    {
        var db = _redis.Database;
        var expired = new List<ExpiredMember>();
        foreach (var entry in await db.HashGetAllAsync(_keys.NodeMembers(owner)))
        {
            var room = (string)entry.Value!;
            var (counts, member, removed) = await _rooms.LeaveAsync(db, room, (long)entry.Name);
            if (removed)
            {
                expired.Add(new ExpiredMember(room, member, counts));
            }
        }

        var uids = await db.SetMembersAsync(_keys.NodeConnected(owner));
        if (uids.Length > 0)
        {
            await db.HashDeleteAsync(_keys.Connected, uids);
        }

        if (announce && expired.Count > 0)
        {
            PresenceLog.ReapedNode(_logger, owner, expired.Count);
            await _departures.ReportAsync(expired);
        }
    }
}
