using Microsoft.Extensions.DependencyInjection.Extensions;
using Wschat.Hub.Redis;

namespace Wschat.Hub.Presence;

internal static class PresenceServiceCollectionExtensions
{
    /// <summary>Presence, in memory unless <see cref="AddRedisPresence"/> puts it in Redis.</summary>
    public static IServiceCollection AddWschatPresence(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddValidatedOptions<PresenceOptions>(configuration, PresenceOptions.SectionName);
        services.AddSingleton<PresenceDepartures>();
        services.TryAddSingleton<IPresenceStore, MemoryPresenceStore>();
        return services;
    }

    /// <summary>Presence in Redis, under a lease this node renews, in place of the in-memory store whichever is registered first.</summary>
    public static IServiceCollection AddRedisPresence(this IServiceCollection services)
    {
        services.AddSingleton(static s => new RedisPresenceKeys(s.GetRequiredService<RedisConnection>().KeyPrefix));
        services.AddSingleton<RedisRoomCommands>();
        services.AddSingleton<RedisNodeLeases>();
        services.AddSingleton<RedisPresenceStore>();
        services.Replace(ServiceDescriptor.Singleton<IPresenceStore>(static s => s.GetRequiredService<RedisPresenceStore>()));
        services.AddHostedService<PresenceLeaseService>();
        return services;
    }
}
