using StackExchange.Redis;
using Wschat.Hub.Api;
using Wschat.Tests.Infrastructure;
using Wschat.Tests.Rooms;
using Xunit.Abstractions;

namespace Wschat.Tests.Api;

/// <summary>The idempotency keys of a cluster: each node's store on its own connection to one real redis-server.</summary>
public sealed class RedisIdempotencyStoreTests(ITestOutputHelper output) : IdempotencyStoreSpecification(output)
{
    private protected override bool OnRedis => true;

    private protected override async Task<IIdempotencyStore> CreateNodeAsync() => new RedisIdempotencyStore((await Redis.ConnectAsync()).Connection);

    /// <summary>The claim's TTL is cut to a second, then the completion is seen to set it to 24 h again.</summary>
    [Fact]
    public async Task A_key_is_kept_24_h_from_its_claim_and_its_reply_24_h_from_its_completion()
    {
        var store = await CreateNodeAsync();
        await using var admin = await Redis.AdminAsync().DefaultTimeout();
        var db = admin.GetDatabase();
        RedisKey key = $"{RedisTestBackplane.Prefix}:idempotency:k";

        await store.ClaimAsync("k", None).DefaultTimeout();
        AssertKeptFor(IIdempotencyStore.Ttl, await db.KeyTimeToLiveAsync(key).DefaultTimeout());

        await db.KeyExpireAsync(key, TimeSpan.FromSeconds(1)).DefaultTimeout();
        await store.CompleteAsync("k", "reply", None).DefaultTimeout();
        AssertKeptFor(IIdempotencyStore.Ttl, await db.KeyTimeToLiveAsync(key).DefaultTimeout());
    }

    private static void AssertKeptFor(TimeSpan expected, TimeSpan? left) =>
        Assert.InRange(left ?? TimeSpan.Zero, expected - TimeSpan.FromMinutes(1), expected);
}
