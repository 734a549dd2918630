using Wschat.Hub.Api;
using Wschat.Hub.Identity;
using Wschat.Hub.Moderation;
using Wschat.Hub.Presence;
using Wschat.Hub.Redis;
using Wschat.Hub.Rooms;

namespace Wschat.Hub.Hosting;

/// <summary>
/// The one place the node's backend is chosen. Every concern registers its in-memory implementation as a
/// default; as SignalR's <c>AddStackExchangeRedis()</c> does for the backplane, <see cref="AddWschatRedis"/>
/// puts every concern's Redis implementation in its place, whichever of the two is registered first.
/// </summary>
internal static class BackendServiceCollectionExtensions
{
    /// <summary>The Redis options, checked at start; with <c>Wschat:Redis</c> set, every concern on Redis.</summary>
    public static IServiceCollection AddWschatBackend(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddValidatedOptions<RedisConnectionOptions>(configuration, RedisConnectionOptions.SectionName);
        return RedisConnectionOptions.IsConfigured(configuration) ? services.AddWschatRedis() : services;
    }

    /// <summary>The node's Redis connection, and presence, uids, moderation, idempotency keys and rooms kept in Redis for the cluster.</summary>
    public static IServiceCollection AddWschatRedis(this IServiceCollection services) => services
        .AddWschatRedisConnection()
        .AddRedisPresence()
        .AddRedisUids()
        .AddRedisModeration()
        .AddRedisIdempotency()
        .AddRedisRooms();
}
