namespace Wschat.Hub.Redis;

internal static class RedisServiceCollectionExtensions
{
    /// <summary>
    /// The Redis options, checked at start; with <c>Wschat:Redis</c> set, the node's one connection,
    /// the recovery every Redis user registers with, and the <c>redis</c> health check.
    /// </summary>
    public static IServiceCollection AddWschatRedis(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddValidatedOptions<RedisConnectionOptions>(configuration, RedisConnectionOptions.SectionName);
        if (RedisConnectionOptions.IsConfigured(configuration))
        {
            services.AddSingleton<RedisRecovery>();
            services.AddSingleton<RedisConnection>();
            services.AddHealthChecks().AddCheck<RedisHealthCheck>("redis");
        }

        return services;
    }
}
