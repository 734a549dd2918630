using System.Collections.Concurrent;
using System.Collections.Immutable;
using System.Globalization;
using StackExchange.Redis;
using Wschat.Hub.Redis;

namespace Wschat.Hub.Moderation;

/// <summary>
/// The cluster's room rules in Redis, in the room's slot: a hash uid → mute end (Unix ms) that expires
/// with its last mute, and a silence flag. Every node caches the rules of the rooms it checks, so a
/// danmu costs no Redis round trip; a change is announced on a channel and drops the room from every
/// node's cache, and the next check reads it again. While Redis is away, cached rules stay in force.
/// </summary>
internal sealed class RedisRoomRuleStore : IRoomRuleStore
{
    // KEYS: mutes. ARGV: uid, end (Unix ms). The hash lives as long as its longest mute.
    private const string MuteScript = """
        redis.call('hset', KEYS[1], ARGV[1], ARGV[2])
        if redis.call('pexpiretime', KEYS[1]) < tonumber(ARGV[2]) then redis.call('pexpireat', KEYS[1], ARGV[2]) end
        """;

    // Past this many rooms the cache starts over: rules of rooms nobody posts in any more are not kept forever.
    private const int MaxCachedRooms = 10_000;

    private static readonly RedisChannel s_changes = RedisChannel.Literal("roomrules");

    private readonly RedisConnection _redis;
    private readonly ILogger _logger;
    private readonly ConcurrentDictionary<string, RoomRules> _cache = new(StringComparer.Ordinal);

    // Bumped by every drop from the cache: a read that started before it must not cache what it read.
    private long _generation;
    private int _subscribed;

    public RedisRoomRuleStore(RedisConnection redis, RedisRecovery recovery, ILogger<RedisRoomRuleStore> logger)
    {
        _redis = redis;
        _logger = logger;

        // Changes announced during the outage were missed.
        recovery.OnRestored("room rules", async _ =>
        {
            await SubscribeAsync();
            Forget(null);
        });
    }

    public async ValueTask<RoomRules> GetAsync(string room, CancellationToken cancellationToken)
    {
        if (_cache.TryGetValue(room, out var cached))
        {
            return cached;
        }

        if (!_redis.IsConnected)
        {
            return RoomRules.None;
        }

        try
        {
            // Subscribed before reading, so a change made in between drops what is read.
            await SubscribeAsync();
            var generation = Volatile.Read(ref _generation);
            var db = _redis.Database;
            var mutes = db.HashGetAllAsync(MutesKey(room));
            var silenced = db.KeyExistsAsync(SilencedKey(room));
            var rules = new RoomRules(await silenced, (await mutes).ToImmutableDictionary(
                static m => (long)m.Name,
                static m => DateTimeOffset.FromUnixTimeMilliseconds((long)m.Value)));
            if (_cache.Count >= MaxCachedRooms)
            {
                Forget(null);
            }

            if (Volatile.Read(ref _generation) == generation)
            {
                _cache[room] = rules;
            }

            return rules;
        }
        catch (Exception ex) when (ex is RedisException or TimeoutException)
        {
            ModerationLog.RedisFailed(_logger, ex);
            return RoomRules.None;
        }
    }

    public async Task MuteAsync(string room, long uid, DateTimeOffset until, CancellationToken cancellationToken)
    {
        await _redis.Database.ScriptEvaluateAsync(MuteScript, [MutesKey(room)], [uid, until.ToUnixTimeMilliseconds()]);
        await AnnounceAsync(room);
    }

    public async Task SetSilencedAsync(string room, bool silenced, CancellationToken cancellationToken)
    {
        if (silenced)
        {
            await _redis.Database.StringSetAsync(SilencedKey(room), 1);
        }
        else
        {
            await _redis.Database.KeyDeleteAsync(SilencedKey(room));
        }

        await AnnounceAsync(room);
    }

    private RedisKey MutesKey(string room) => $"{_redis.KeyPrefix}{RedisRoomName.Of(room)}:mutes";

    private RedisKey SilencedKey(string room) => $"{_redis.KeyPrefix}{RedisRoomName.Of(room)}:silenced";

    /// <summary>Drops the room here at once (the caller's next check sees the change), then everywhere.</summary>
    private async Task AnnounceAsync(string room)
    {
        Forget(room);
        await _redis.Multiplexer.GetSubscriber().PublishAsync(s_changes, room);
    }

    /// <summary>Drops one room from the cache, or (null) all of them.</summary>
    private void Forget(string? room)
    {
        Interlocked.Increment(ref _generation);
        if (room is null)
        {
            _cache.Clear();
        }
        else
        {
            _cache.TryRemove(room, out _);
        }
    }

    /// <summary>Subscribes once; the multiplexer renews the subscription itself after a reconnect.</summary>
    private async Task SubscribeAsync()
    {
        if (Interlocked.Exchange(ref _subscribed, 1) == 1)
        {
            return;
        }

        try
        {
            await _redis.Multiplexer.GetSubscriber().SubscribeAsync(s_changes, (_, room) => Forget((string?)room ?? ""));
        }
        catch
        {
            Volatile.Write(ref _subscribed, 0);
            throw;
        }
    }
}
