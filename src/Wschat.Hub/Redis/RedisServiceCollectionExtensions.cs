namespace Wschat.Hub.Redis;

internal static class RedisServiceCollectionExtensions
{
    /// <summary>The node's one Redis connection, the recovery every Redis user registers with, and the <c>redis</c> health check.</summary>
    public static IServiceCollection AddWschatRedisConnection(this IServiceCollection services)
    {
        services.AddSingleton<RedisRecovery>();
        services.AddSingleton<RedisConnection>();
        services.AddHealthChecks().AddCheck<RedisHealthCheck>("redis");
        return services;
    }
}
