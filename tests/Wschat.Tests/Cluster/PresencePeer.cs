using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;
using Wschat.Hub.Identity;
using Wschat.Hub.Presence;
using Wschat.Hub.Redis;
using Wschat.Tests.Infrastructure;
using Wschat.Tests.Moderation;

namespace Wschat.Tests.Cluster;

/// <summary>
/// A node's presence without a hub, on a clock of the test's choosing: its store and its lease
/// in Redis. On a <see cref="Microsoft.Extensions.Time.Testing.FakeTimeProvider"/> it renews only
/// when the test advances the clock (a node stalled or dead); on a skewed clock it is a live node
/// whose wall clock is off.
/// </summary>
internal sealed class PresencePeer : IAsyncDisposable
{
    private readonly RedisConnection _connection;
    private readonly RedisPresenceKeys _keys;
    private readonly NodeIdentity _node;
    private readonly PresenceLeaseService _lease;

    private PresencePeer(RedisConnection connection, RedisPresenceKeys keys, NodeIdentity node, RedisRecovery recovery, RedisPresenceStore store, PresenceLeaseService lease, PresenceDepartures departures)
    {
        Departures = departures;
        _connection = connection;
        _keys = keys;
        _node = node;
        Recovery = recovery;
        Store = store;
        _lease = lease;
    }

    public RedisRecovery Recovery { get; }

    /// <summary>The members of dead nodes this peer reaped (a live peer reaps as a hub node does; no room hears of it).</summary>
    public PresenceDepartures Departures { get; }

    public RedisPresenceStore Store { get; }

    public required RecordingLogger<PresenceLeaseService> LeaseLog { get; init; }

    public required RecordingLogger<RedisPresenceStore> StoreLog { get; init; }

    public static async Task<PresencePeer> StartAsync(RedisServer redis, TimeProvider time, int leaseSeconds)
    {
        var recovery = new RedisRecovery(time, NullLogger<RedisRecovery>.Instance);
        var connection = new RedisConnection(
            Options.Create(new RedisConnectionOptions { Redis = redis.Configuration }),
            recovery,
            TestMetrics.Wschat,
            NullLogger<RedisConnection>.Instance);
        var keys = new RedisPresenceKeys(connection.KeyPrefix);
        var rooms = new RedisRoomCommands(keys);
        var node = new NodeIdentity();
        var storeLog = new RecordingLogger<RedisPresenceStore>();
        var leaseLog = new RecordingLogger<PresenceLeaseService>();
        var departures = new PresenceDepartures();
        var store = new RedisPresenceStore(connection, recovery, keys, rooms, node, storeLog);
        var lease = new PresenceLeaseService(
            connection,
            recovery,
            keys,
            rooms,
            new RedisNodeLeases(keys),
            store,
            node,
            departures,
            Options.Create(new PresenceOptions { PresenceLeaseSeconds = leaseSeconds }),
            time,
            leaseLog);
        var peer = new PresencePeer(connection, keys, node, recovery, store, lease, departures) { LeaseLog = leaseLog, StoreLog = storeLog };
        await lease.StartAsync(CancellationToken.None);
        return peer;
    }

    /// <summary>Adds a connected member, as a hub's connect and join do.</summary>
    public async Task JoinAsync(string room, long uid)
    {
        await Store.ConnectAsync(uid, CancellationToken.None);
        await Store.JoinAsync(room, new RoomMember(uid, "10.0.0.9", null), CancellationToken.None);
    }

    /// <summary>When its lease runs out, in Redis's milliseconds; null while it has none.</summary>
    public async Task<double?> LeaseExpiryAsync() => await _connection.Database.SortedSetScoreAsync(_keys.Nodes, _node.Id);

    /// <summary>
    /// Advances the peer's fake clock a renewal period at a time until its lease in Redis is one it renewed
    /// after this call began, so whatever it added before is under a lease that will run out. One advance
    /// is not enough: a renewal can be skipped (Redis still taken for away at the tick, a command timed out
    /// on a loaded box), and on a clock that stands still the next tick never comes.
    /// </summary>
    public async Task RenewOnceMoreAsync(FakeTimeProvider clock, TimeSpan period)
    {
        var before = await LeaseExpiryAsync();
        await Eventually.GetAsync(
            async () =>
            {
                clock.Advance(period);
                return await LeaseExpiryAsync() is { } expiry && expiry != before ? (object?)expiry : null;
            },
            TimeSpan.FromSeconds(20),
            $"a renewal of peer {_node.Id}'s lease");
    }

    public async ValueTask DisposeAsync()
    {
        // Stops the lease loop without a goodbye: what is left in Redis is the survivors' to reap.
        _lease.Dispose();
        _connection.Dispose();
        await Task.CompletedTask;
    }
}

/// <summary>A wall clock <paramref name="offset"/> off, with real timers.</summary>
internal sealed class SkewedClock(TimeSpan offset) : TimeProvider
{
    public override DateTimeOffset GetUtcNow() => base.GetUtcNow() + offset;
}
