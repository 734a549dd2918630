using StackExchange.Redis;
using Wschat.Hub.Redis;

namespace Wschat.Hub.Moderation;

/// <summary>
/// The cluster's list in one Redis key; a save is announced on a channel so every node reloads at
/// once. The node's file is a cache: it serves while Redis is away and re-seeds a Redis that came
/// back empty. A list set during an outage applies to its node until Redis returns with the
/// cluster's list.
/// </summary>
internal sealed class RedisBadWordStore : IBadWordStore
{
    private static readonly RedisChannel s_changes = RedisChannel.Literal("badwords");

    private readonly RedisConnection _redis;
    private readonly FileBadWordStore _cache;
    private readonly ILogger<RedisBadWordStore> _logger;
    private readonly RedisKey _key;
    private int _subscribed;

    public RedisBadWordStore(RedisConnection redis, RedisRecovery recovery, FileBadWordStore cache, ILogger<RedisBadWordStore> logger)
    {
        _redis = redis;
        _cache = cache;
        _logger = logger;
        _key = redis.KeyPrefix + "badwords";

        // Changes announced during the outage were missed: subscribe if that failed before, and reload.
        recovery.OnRestored("prohibited words", async _ =>
        {
            await SubscribeAsync();
            Changed?.Invoke(this, EventArgs.Empty);
        });
    }

    public event EventHandler? Changed;

    public async Task<string> LoadAsync(CancellationToken cancellationToken)
    {
        var local = await _cache.LoadAsync(cancellationToken);
        if (!_redis.IsConnected)
        {
            return local;
        }

        try
        {
            // Subscribed before reading, so a change saved in between is not missed.
            await SubscribeAsync();
            var stored = await _redis.Database.StringGetAsync(_key);
            if (stored.IsNull)
            {
                // A new or emptied Redis: what this node knows becomes the cluster's list.
                await _redis.Database.StringSetAsync(_key, local, when: When.NotExists);
                return local;
            }

            await _cache.SaveAsync(stored!, cancellationToken);
            return stored!;
        }
        catch (Exception ex) when (ex is RedisException or TimeoutException)
        {
            ModerationLog.RedisFailed(_logger, ex);
            return local;
        }
    }

    public async Task SaveAsync(string rulesBody, CancellationToken cancellationToken)
    {
        await _cache.SaveAsync(rulesBody, cancellationToken);
        try
        {
            await _redis.Database.StringSetAsync(_key, rulesBody);
            await _redis.Multiplexer.GetSubscriber().PublishAsync(s_changes, RedisValue.EmptyString);
        }
        catch (Exception ex) when (ex is RedisException or TimeoutException)
        {
            ModerationLog.RedisFailed(_logger, ex);
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
            await _redis.Multiplexer.GetSubscriber().SubscribeAsync(s_changes, (_, _) => Changed?.Invoke(this, EventArgs.Empty));
        }
        catch
        {
            Volatile.Write(ref _subscribed, 0);
            throw;
        }
    }
}
