namespace Wschat.Hub.Moderation;

internal static class ModerationServiceCollectionExtensions
{
    /// <summary>The word filter, kept in the data directory (and in Redis once <see cref="AddRedisBadWordStore"/> is called).</summary>
    public static IServiceCollection AddWschatModeration(this IServiceCollection services, IConfiguration configuration)
    {
        services.Configure<ModerationOptions>(configuration.GetSection("Wschat"));
        services.AddSingleton<FileBadWordStore>();
        services.AddSingleton<IBadWordStore>(static s => s.GetRequiredService<FileBadWordStore>());
        services.AddSingleton<WordFilterService>();
        services.AddHostedService(static s => s.GetRequiredService<WordFilterService>());
        return services;
    }

    /// <summary>Keeps the list in Redis for the whole cluster, with the local file as a cache.</summary>
    public static IServiceCollection AddRedisBadWordStore(this IServiceCollection services) =>
        services.AddSingleton<IBadWordStore, RedisBadWordStore>();
}
