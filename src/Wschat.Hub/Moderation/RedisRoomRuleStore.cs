using System.Collections.Concurrent;
using System.Collections.Immutable;
using System.Globalization;
using System.Text.Json;
using StackExchange.Redis;
using Wschat.Hub.Redis;

namespace Wschat.Hub.Moderation;

/// <summary>
/// The cluster's room rules in Redis, in the room's slot: a hash mute key → mute end (Unix ms) and a hash
/// ban id → ban, each expiring with its last entry, and a silence flag. Every node caches the rules of
/// the rooms it checks, so a danmu or a join costs no Redis round trip; a change is announced on a
/// channel and drops the room from every node's cache, and the next check reads it again. While Redis
/// is away, cached rules stay in force.
/// </summary>
internal sealed class RedisRoomRuleStore : IRoomRuleStore
{
    // KEYS: mutes. ARGV: end (Unix ms), now (Unix ms), then the keys muted. Drops the mutes that are over
    // (in a room muted every hour the hash never expires); the hash lives as long as its longest mute.
    private const string MuteScript = """
        local all = redis.call('hgetall', KEYS[1])
        for i = 1, #all, 2 do
          if tonumber(all[i + 1]) <= tonumber(ARGV[2]) then redis.call('hdel', KEYS[1], all[i]) end
        end
        for i = 3, #ARGV do redis.call('hset', KEYS[1], ARGV[i], ARGV[1]) end
        if redis.call('pexpiretime', KEYS[1]) < tonumber(ARGV[1]) then redis.call('pexpireat', KEYS[1], ARGV[1]) end
        """;

    // KEYS: bans. ARGV: id, ban (JSON with its end, Unix ms, as "until"), end, now (Unix ms).
    // Drops the bans that are over; the hash lives as long as its longest ban.
    private const string BanScript = """
        local all = redis.call('hgetall', KEYS[1])
        for i = 1, #all, 2 do
          if cjson.decode(all[i + 1])['until'] <= tonumber(ARGV[4]) then redis.call('hdel', KEYS[1], all[i]) end
        end
        redis.call('hset', KEYS[1], ARGV[1], ARGV[2])
        if redis.call('pexpiretime', KEYS[1]) < tonumber(ARGV[3]) then redis.call('pexpireat', KEYS[1], ARGV[3]) end
        """;

    // Past this many rooms the cache starts over: rules of rooms nobody posts in any more are not kept forever.
    private const int MaxCachedRooms = 10_000;

    private static readonly RedisChannel s_changes = RedisChannel.Literal("roomrules");

    private readonly RedisConnection _redis;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly ConcurrentDictionary<string, RoomRules> _cache = new(StringComparer.Ordinal);

    // Bumped by every drop from the cache: a read that started before it must not cache what it read.
    private long _generation;
    private int _subscribed;

    public RedisRoomRuleStore(RedisConnection redis, RedisRecovery recovery, TimeProvider time, ILogger<RedisRoomRuleStore> logger)
    {
        _redis = redis;
        _time = time;
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
            var bans = db.HashGetAllAsync(BansKey(room));
            var silenced = db.KeyExistsAsync(SilencedKey(room));
            var (isSilenced, muted, banned) = (await silenced, await mutes, await bans);

            // Most rooms have no rules: they share one instance (joins cache every room they read).
            var rules = !isSilenced && muted.Length == 0 && banned.Length == 0 ? RoomRules.None : new RoomRules(
                isSilenced,
                muted.ToImmutableDictionary(static m => (string)m.Name!, static m => DateTimeOffset.FromUnixTimeMilliseconds((long)m.Value)),
                banned.ToImmutableDictionary(static b => (string)b.Name!, static b => StoredBan.Parse(b.Name!, b.Value!)));
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

    public async Task MuteAsync(string room, IReadOnlyList<string> keys, DateTimeOffset until, CancellationToken cancellationToken)
    {
        await _redis.Database.ScriptEvaluateAsync(
            MuteScript,
            [MutesKey(room)],
            [until.ToUnixTimeMilliseconds(), _time.GetUtcNow().ToUnixTimeMilliseconds(), .. keys.Select(static k => (RedisValue)k)]);
        await AnnounceAsync(room);
    }

    public async Task BanAsync(string room, RoomBan ban, CancellationToken cancellationToken)
    {
        var until = ban.Until.ToUnixTimeMilliseconds();
        await _redis.Database.ScriptEvaluateAsync(
            BanScript,
            [BansKey(room)],
            [ban.Id, StoredBan.Format(ban), until, _time.GetUtcNow().ToUnixTimeMilliseconds()]);
        await AnnounceAsync(room);
    }

    public async Task<bool> LiftBanAsync(string room, string id, CancellationToken cancellationToken)
    {
        if (!await _redis.Database.HashDeleteAsync(BansKey(room), id))
        {
            return false;
        }

        await AnnounceAsync(room);
        return true;
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

    private RedisKey BansKey(string room) => $"{_redis.KeyPrefix}{RedisRoomName.Of(room)}:bans";

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

    /// <summary>A ban as its hash keeps it: the id is the field; <c>until</c> in Unix ms, for the ban script to read.</summary>
    private sealed record StoredBan(string? UserId, string? Ip, long Until)
    {
        public static string Format(RoomBan ban) => JsonSerializer.Serialize(new StoredBan(ban.UserId, ban.Ip, ban.Until.ToUnixTimeMilliseconds()), JsonSerializerOptions.Web);

        public static RoomBan Parse(string id, string stored)
        {
            var ban = JsonSerializer.Deserialize<StoredBan>(stored, JsonSerializerOptions.Web) ?? throw new InvalidDataException("empty stored ban");
            return new RoomBan(id, ban.UserId, ban.Ip, DateTimeOffset.FromUnixTimeMilliseconds(ban.Until));
        }
    }
}
