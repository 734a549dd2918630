using Wschat.Hub.Redis;

namespace Wschat.Hub.Moderation;

internal static class ModerationServiceCollectionExtensions
{
    /// <summary>
    /// The word filter, its list kept in the data directory, and with <c>Wschat:Redis</c> set, in
    /// Redis for the whole cluster (the file then is its cache); room rules (mutes, silence) in memory or Redis.
    /// </summary>
    public static IServiceCollection AddWschatModeration(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddSingleton<FileBadWordStore>();
        if (RedisConnectionOptions.IsConfigured(configuration))
        {
            services.AddSingleton<IBadWordStore, RedisBadWordStore>();
            services.AddSingleton<IRoomRuleStore, RedisRoomRuleStore>();
        }
        else
        {
            services.AddSingleton<IBadWordStore>(static s => s.GetRequiredService<FileBadWordStore>());
            services.AddSingleton<IRoomRuleStore, MemoryRoomRuleStore>();
        }

        services.AddSingleton<WordFilterService>();
        services.AddHostedService(static s => s.GetRequiredService<WordFilterService>());
        return services;
    }
}
