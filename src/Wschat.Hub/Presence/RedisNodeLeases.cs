using StackExchange.Redis;

namespace Wschat.Hub.Presence;

/// <summary>
/// Node leases in Redis, stamped and judged by Redis's own clock (<c>TIME</c> inside each script),
/// so a node whose clock is off is never taken for dead while it renews. A node's lease, index
/// and lost-flag share the <c>{nodes}</c> hash tag, so each script touches one slot.
/// </summary>
internal sealed class RedisNodeLeases(RedisPresenceKeys keys)
{
    private const string Now = """
        local t = redis.call('TIME')
        local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
        """;

    // KEYS: nodes, lost flag. ARGV: node, lease ms. 0: held; 1: had lapsed or was reaped; 2: absent.
    private const string RenewScript = Now + """
        local old = redis.call('ZSCORE', KEYS[1], ARGV[1])
        local flagged = redis.call('DEL', KEYS[2])
        redis.call('ZADD', KEYS[1], now + tonumber(ARGV[2]), ARGV[1])
        if not old then return 2 end
        if tonumber(old) <= now or flagged == 1 then return 1 end
        return 0
        """;

    // KEYS: nodes. Returns Redis's now, then node, expiry pairs of the lapsed leases.
    private const string ExpiredScript = Now + """
        local expired = redis.call('ZRANGEBYSCORE', KEYS[1], '-inf', now, 'WITHSCORES')
        table.insert(expired, 1, now)
        return expired
        """;

    // KEYS: nodes, members index, uids index, lost flag. ARGV: node, grace ms. A node that renewed
    // while it was reaped is flagged, so it writes its presence again; one lapsed for longer than
    // the grace (no command of it can still be on its way) is forgotten. 1: forgotten.
    private const string FinishScript = Now + """
        local expiry = redis.call('ZSCORE', KEYS[1], ARGV[1])
        if not expiry then return 0 end
        if tonumber(expiry) > now then
          redis.call('SET', KEYS[4], 1)
          return 0
        end
        if tonumber(expiry) + tonumber(ARGV[2]) > now then return 0 end
        redis.call('DEL', KEYS[2], KEYS[3])
        redis.call('ZREM', KEYS[1], ARGV[1])
        return 1
        """;

    // KEYS: nodes. Returns Redis's now, then node, expiry pairs of every lease.
    private const string AllScript = Now + """
        local all = redis.call('ZRANGE', KEYS[1], 0, -1, 'WITHSCORES')
        table.insert(all, 1, now)
        return all
        """;

    /// <summary>Renews <paramref name="node"/>'s lease for <paramref name="lease"/> of Redis time.</summary>
    public async Task<LeaseRenewal> RenewAsync(IDatabaseAsync db, string node, TimeSpan lease) =>
        (LeaseRenewal)(int)await db.ScriptEvaluateAsync(RenewScript, [keys.Nodes, keys.NodeLost(node)], [node, (long)lease.TotalMilliseconds]);

    /// <summary>The nodes whose lease has lapsed by Redis's clock, and how long ago.</summary>
    public async Task<List<(string Node, TimeSpan Lapsed)>> ExpiredAsync(IDatabaseAsync db) =>
        [.. (await LeasesAsync(db, ExpiredScript)).Select(static lease => (lease.Node, -lease.Left))];

    /// <summary>After a reap pass: flags a node that came back meanwhile, or forgets one dead for longer than <paramref name="grace"/>.</summary>
    public async Task<bool> FinishAsync(IDatabaseAsync db, string node, TimeSpan grace) =>
        (int)await db.ScriptEvaluateAsync(
            FinishScript,
            [keys.Nodes, keys.NodeMembers(node), keys.NodeConnected(node), keys.NodeLost(node)],
            [node, (long)grace.TotalMilliseconds]) == 1;

    /// <summary>Every node with a lease, and how long its lease has left by Redis's clock (negative: lapsed).</summary>
    public Task<List<(string Node, TimeSpan Left)>> ListAsync(IDatabaseAsync db) => LeasesAsync(db, AllScript);

    /// <summary>Runs a script that answers Redis's now, then node, expiry pairs.</summary>
    private async Task<List<(string Node, TimeSpan Left)>> LeasesAsync(IDatabaseAsync db, string script)
    {
        var result = (RedisResult[])(await db.ScriptEvaluateAsync(script, [keys.Nodes]))!;
        var now = (long)result[0];
        var leases = new List<(string, TimeSpan)>(result.Length / 2);
        for (var i = 1; i + 1 < result.Length; i += 2)
        {
            leases.Add(((string)result[i]!, TimeSpan.FromMilliseconds((long)(double)result[i + 1] - now)));
        }

        return leases;
    }

    /// <summary>Leaves this node's lease at once (a graceful stop).</summary>
    public Task RemoveAsync(IDatabaseAsync db, string node) => db.SortedSetRemoveAsync(keys.Nodes, node);
}

/// <summary>What a renewal found.</summary>
internal enum LeaseRenewal
{
    /// <summary>The lease was held: nothing happened to this node's presence.</summary>
    Held = 0,

    /// <summary>The lease had lapsed or the node was reaped: its presence may be gone.</summary>
    Lapsed = 1,

    /// <summary>No lease: a first registration, or the node was forgotten (or Redis lost its data).</summary>
    Absent = 2,
}
