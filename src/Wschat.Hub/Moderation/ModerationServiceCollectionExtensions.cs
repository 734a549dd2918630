using Microsoft.Extensions.DependencyInjection.Extensions;

namespace Wschat.Hub.Moderation;

internal static class ModerationServiceCollectionExtensions
{
    /// <summary>
    /// The word filter, its list kept in the data directory, and room rules (mutes, silence) in memory,
    /// unless <see cref="AddRedisModeration"/> keeps both in Redis.
    /// </summary>
    public static IServiceCollection AddWschatModeration(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddSingleton<FileBadWordStore>();
        services.TryAddSingleton<IBadWordStore>(static s => s.GetRequiredService<FileBadWordStore>());
        services.TryAddSingleton<IRoomRuleStore, MemoryRoomRuleStore>();
        services.AddSingleton<WordFilterService>();
        services.AddHostedService(static s => s.GetRequiredService<WordFilterService>());
        return services;
    }

    /// <summary>
    /// The word list in Redis for the whole cluster (the file then is its cache) and room rules in Redis,
    /// in place of the single node's whichever is registered first.
    /// </summary>
    public static IServiceCollection AddRedisModeration(this IServiceCollection services)
    {
        services.Replace(ServiceDescriptor.Singleton<IBadWordStore, RedisBadWordStore>());
        services.Replace(ServiceDescriptor.Singleton<IRoomRuleStore, RedisRoomRuleStore>());
        return services;
    }
}
