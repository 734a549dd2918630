using Microsoft.AspNetCore.SignalR;
using Microsoft.AspNetCore.SignalR.StackExchangeRedis;
using Wschat.Hub.Redis;

namespace Wschat.Hub.Backplane;

internal static class ClusterServiceCollectionExtensions
{
    /// <summary>
    /// The SignalR Redis backplane (behind a local fallback) over the node's one Redis connection,
    /// which <see cref="RedisServiceCollectionExtensions.AddWschatRedis"/> registers.
    /// </summary>
    public static ISignalRServerBuilder AddWschatCluster(this ISignalRServerBuilder signalR)
    {
        var services = signalR.Services;
        signalR.AddStackExchangeRedis();
        services.AddOptions<RedisOptions>().Configure<RedisConnection>(static (options, redis) =>
            options.ConnectionFactory = _ => Task.FromResult(redis.Multiplexer));
        services.AddSingleton(typeof(HubLifetimeManager<>), typeof(ResilientHubLifetimeManager<>));
        return signalR;
    }
}
