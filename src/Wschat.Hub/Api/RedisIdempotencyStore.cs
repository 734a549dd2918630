using StackExchange.Redis;
using Wschat.Hub.Redis;

namespace Wschat.Hub.Api;

/// <summary>
/// Idempotency keys of the cluster, one Redis string each with the TTL: empty while claimed, then the
/// reply. A retry through any node finds it.
/// </summary>
internal sealed class RedisIdempotencyStore(RedisConnection redis) : IIdempotencyStore
{
    public async Task<IdempotencyClaim> ClaimAsync(string key, CancellationToken cancellationToken)
    {
        var db = redis.Database;
        if (await db.StringSetAsync(Key(key), RedisValue.EmptyString, IIdempotencyStore.Ttl, When.NotExists))
        {
            return IdempotencyClaim.New;
        }

        var reply = await db.StringGetAsync(Key(key));
        return reply.IsNullOrEmpty ? IdempotencyClaim.InProgress : new IdempotencyClaim(false, reply);
    }

    public Task CompleteAsync(string key, string reply, CancellationToken cancellationToken) =>
        redis.Database.StringSetAsync(Key(key), reply, IIdempotencyStore.Ttl);

    public Task ReleaseAsync(string key, CancellationToken cancellationToken) => redis.Database.KeyDeleteAsync(Key(key));

    private RedisKey Key(string key) => redis.KeyPrefix + "idempotency:" + key;
}
