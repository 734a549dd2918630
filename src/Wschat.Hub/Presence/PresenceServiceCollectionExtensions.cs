using Wschat.Hub.Redis;

namespace Wschat.Hub.Presence;

internal static class PresenceServiceCollectionExtensions
{
    /// <summary>Presence in memory, or with <c>Wschat:Redis</c> set, in Redis under a lease this node renews.</summary>
    public static IServiceCollection AddWschatPresence(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddValidatedOptions<PresenceOptions>(configuration, PresenceOptions.SectionName);
        services.AddSingleton<PresenceDepartures>();
        if (!RedisConnectionOptions.IsConfigured(configuration))
        {
            services.AddSingleton<IPresenceStore, MemoryPresenceStore>();
            return services;
        }

        services.AddSingleton(static s => new RedisPresenceKeys(s.GetRequiredService<RedisConnection>().KeyPrefix));
        services.AddSingleton<RedisRoomCommands>();
        services.AddSingleton<RedisNodeLeases>();
        services.AddSingleton<RedisPresenceStore>();
        services.AddSingleton<IPresenceStore>(static s => s.GetRequiredService<RedisPresenceStore>());
        services.AddHostedService<PresenceLeaseService>();
        return services;
    }
}
