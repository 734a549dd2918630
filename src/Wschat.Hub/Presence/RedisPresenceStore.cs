using StackExchange.Redis;
using Wschat.Hub.Identity;
using Wschat.Hub.Redis;

namespace Wschat.Hub.Presence;

/// <summary>
/// Cluster-wide presence in Redis. This node's own members are mirrored in memory: while Redis is
/// away, answers come from the mirror (this node's share only), and when it returns (or this node's
/// lease had lapsed) the mirror is written back so the cluster's counts are right again.
/// </summary>
internal sealed class RedisPresenceStore : IPresenceStore
{
    // KEYS: a node's members index. ARGV: uid, room. Forgets the uid only while it is indexed in that room.
    private const string UnindexScript = """
        if redis.call('HGET', KEYS[1], ARGV[1]) == ARGV[2] then return redis.call('HDEL', KEYS[1], ARGV[1]) end
        return 0
        """;

    private readonly MemoryPresenceStore _local = new();
    private readonly RedisConnection _redis;
    private readonly RedisPresenceKeys _keys;
    private readonly RedisRoomCommands _rooms;
    private readonly string _node;
    private readonly ILogger<RedisPresenceStore> _logger;

    public RedisPresenceStore(RedisConnection redis, RedisRecovery recovery, RedisPresenceKeys keys, RedisRoomCommands rooms, NodeIdentity node, ILogger<RedisPresenceStore> logger)
    {
        _redis = redis;
        _keys = keys;
        _rooms = rooms;
        _node = node.Id;
        _logger = logger;

        // A restarted Redis may have lost everything: make it hold exactly this node's mirror again.
        recovery.OnRestored("presence", async _ =>
        {
            var (members, connections) = await ReRegisterAsync();
            PresenceLog.Resynced(_logger, members, connections);
        });
    }

    public async ValueTask ConnectAsync(long uid, CancellationToken cancellationToken)
    {
        await _local.ConnectAsync(uid, cancellationToken);
        await ClusterAsync(true, async db =>
        {
            var batch = db.CreateBatch();
            var indexed = batch.SetAddAsync(_keys.NodeConnected(_node), RedisPresenceKeys.Uid(uid));
            var connected = batch.HashSetAsync(_keys.Connected, RedisPresenceKeys.Uid(uid), _node);
            batch.Execute();
            await Task.WhenAll(indexed, connected);
            return true;
        });
    }

    public async ValueTask DisconnectAsync(long uid, CancellationToken cancellationToken)
    {
        await _local.DisconnectAsync(uid, cancellationToken);
        await ClusterAsync(true, async db =>
        {
            await db.HashDeleteAsync(_keys.Connected, RedisPresenceKeys.Uid(uid));
            await db.SetRemoveAsync(_keys.NodeConnected(_node), RedisPresenceKeys.Uid(uid));
            return true;
        });
    }

    public async ValueTask<IReadOnlyList<long>> FindConnectedAsync(IReadOnlyList<long> uids, CancellationToken cancellationToken)
    {
        var local = await _local.FindConnectedAsync(uids, cancellationToken);
        return await ClusterAsync(local, async db =>
        {
            var fields = new RedisValue[uids.Count];
            for (var i = 0; i < fields.Length; i++)
            {
                fields[i] = RedisPresenceKeys.Uid(uids[i]);
            }

            var nodes = await db.HashGetAsync(_keys.Connected, fields);
            var found = new List<long>(uids.Count);
            for (var i = 0; i < nodes.Length; i++)
            {
                if (!nodes[i].IsNull)
                {
                    found.Add(uids[i]);
                }
            }

            return (IReadOnlyList<long>)found;
        });
    }

    public async ValueTask<RoomCounts> JoinAsync(string room, RoomMember member, CancellationToken cancellationToken)
    {
        var local = await _local.JoinAsync(room, member, cancellationToken);
        return await ClusterAsync(local, async db =>
        {
            await db.HashSetAsync(_keys.NodeMembers(_node), RedisPresenceKeys.Uid(member.Uid), room);
            return await _rooms.JoinAsync(db, room, member);
        });
    }

    public async ValueTask<RoomCounts> LeaveAsync(string room, long uid, CancellationToken cancellationToken)
    {
        var local = await _local.LeaveAsync(room, uid, cancellationToken);
        return await ClusterAsync(local, async db =>
        {
            var (counts, _, _) = await _rooms.LeaveAsync(db, room, uid);
            await db.HashDeleteAsync(_keys.NodeMembers(_node), RedisPresenceKeys.Uid(uid));
            return counts;
        });
    }

    public async ValueTask<RoomCounts> SetLoginAsync(string room, long uid, UserLogin? login, CancellationToken cancellationToken)
    {
        var local = await _local.SetLoginAsync(room, uid, login, cancellationToken);
        var member = _local.Find(room, uid);

        // Not a member through this node: nothing changed, and the answer is the room's counts, not this node's share.
        return member is null ? await GetCountsAsync(room, cancellationToken) : await ClusterAsync(local, db => _rooms.SetLoginAsync(db, room, member));
    }

    public async ValueTask<RoomMember?> FindMemberAsync(string room, long uid, CancellationToken cancellationToken) =>
        await ClusterAsync(_local.Find(room, uid), db => _rooms.FindAsync(db, room, uid));

    public async ValueTask<RoomCounts> GetCountsAsync(string room, CancellationToken cancellationToken)
    {
        var local = await _local.GetCountsAsync(room, cancellationToken);
        return await ClusterAsync(local, db => _rooms.CountsAsync(db, room));
    }

    public async ValueTask<LoggedInUsers> GetLoggedInUsersAsync(string room, int limit, CancellationToken cancellationToken)
    {
        var local = await _local.GetLoggedInUsersAsync(room, limit, cancellationToken);
        return await ClusterAsync(local, db => _rooms.LoggedInAsync(db, room, limit));
    }

    public async ValueTask<IReadOnlyList<RoomSummary>> ListRoomsAsync(string after, int limit, CancellationToken cancellationToken)
    {
        var local = await _local.ListRoomsAsync(after, limit, cancellationToken);
        return await ClusterAsync(local, db => _rooms.ListAsync(db, after, limit));
    }

    /// <summary>Runs a Redis step; without Redis, answers <paramref name="fallback"/> (this node's share).</summary>
    private async Task<T> ClusterAsync<T>(T fallback, Func<IDatabase, Task<T>> step)
    {
        if (_redis.IsConnected)
        {
            try
            {
                return await step(_redis.Database);
            }
            catch (Exception ex) when (ex is RedisException or TimeoutException)
            {
                PresenceLog.RedisStepFailed(_logger, ex);
            }
        }

        return fallback;
    }

    /// <summary>
    /// Makes Redis hold exactly this node's mirror: stale entries out, current ones in. Members come
    /// and go meanwhile, so each entry is settled against the mirror as it is after the write.
    /// </summary>
    /// <returns>How many room members and connections the mirror held.</returns>
    public async Task<(int Members, int Connections)> ReRegisterAsync()
    {
        var db = _redis.Database;
        var members = _local.SnapshotMembers();
        var current = members.Select(static m => (RedisPresenceKeys.Uid(m.Member.Uid), m.Room)).ToHashSet();
        foreach (var entry in await db.HashGetAllAsync(_keys.NodeMembers(_node)))
        {
            if (!current.Contains((entry.Name, (string)entry.Value!)))
            {
                await SettleMemberAsync(db, entry.Value!, (long)entry.Name);
            }
        }

        foreach (var (room, member) in members)
        {
            await SettleMemberAsync(db, room, member.Uid);
        }

        var connected = _local.SnapshotConnected();
        var stale = (await db.SetMembersAsync(_keys.NodeConnected(_node))).Select(static uid => (long)uid).Except(connected);
        foreach (var uid in stale.Concat(connected))
        {
            await SettleConnectionAsync(db, uid);
        }

        return (members.Count, connected.Count);
    }

    /// <summary>Writes the uid's membership of the room as the mirror has it, until the mirror holds still under the write.</summary>
    private async Task SettleMemberAsync(IDatabase db, string room, long uid)
    {
        var uidValue = RedisPresenceKeys.Uid(uid);
        RoomMember? member;
        do
        {
            member = _local.Find(room, uid);
            if (member is null)
            {
                await _rooms.LeaveAsync(db, room, uid);
                await db.ScriptEvaluateAsync(UnindexScript, [_keys.NodeMembers(_node)], [uidValue, room]);
            }
            else
            {
                await db.HashSetAsync(_keys.NodeMembers(_node), uidValue, room);
                await _rooms.JoinAsync(db, room, member);
            }
        }
        while (_local.Find(room, uid) != member);
    }

    /// <summary>Writes whether the uid is connected as the mirror has it, until the mirror holds still under the write.</summary>
    private async Task SettleConnectionAsync(IDatabase db, long uid)
    {
        var uidValue = RedisPresenceKeys.Uid(uid);
        bool connected;
        do
        {
            connected = _local.IsConnected(uid);
            if (connected)
            {
                await db.SetAddAsync(_keys.NodeConnected(_node), uidValue);
                await db.HashSetAsync(_keys.Connected, uidValue, _node);
            }
            else
            {
                await db.HashDeleteAsync(_keys.Connected, uidValue);
                await db.SetRemoveAsync(_keys.NodeConnected(_node), uidValue);
            }
        }
        while (_local.IsConnected(uid) != connected);
    }
}
