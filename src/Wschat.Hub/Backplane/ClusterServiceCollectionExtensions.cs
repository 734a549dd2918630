using Microsoft.AspNetCore.SignalR;
using Microsoft.AspNetCore.SignalR.StackExchangeRedis;
using Wschat.Hub.Identity;
using Wschat.Hub.Moderation;
using Wschat.Hub.Presence;

namespace Wschat.Hub.Backplane;

internal static class ClusterServiceCollectionExtensions
{
    /// <summary>
    /// Joins the cluster on Redis: the SignalR Redis backplane (behind a local fallback), and
    /// presence, uids, leases and the word list in Redis, all over one shared connection.
    /// </summary>
    public static ISignalRServerBuilder AddWschatCluster(this ISignalRServerBuilder signalR)
    {
        var services = signalR.Services;
        services.AddSingleton<RedisConnection>();
        services.AddSingleton(static s => new RedisPresenceKeys(s.GetRequiredService<RedisConnection>().KeyPrefix));
        services.AddSingleton<RedisRoomCommands>();
        services.AddSingleton<IPresenceStore, RedisPresenceStore>();
        services.AddSingleton<IUidAllocator, RedisUidAllocator>();
        services.AddHostedService<PresenceLeaseService>();
        services.AddRedisBadWordStore();
        services.AddHealthChecks().AddCheck<RedisHealthCheck>("redis");

        signalR.AddStackExchangeRedis();
        services.AddOptions<RedisOptions>().Configure<RedisConnection>(static (options, redis) =>
            options.ConnectionFactory = _ => Task.FromResult(redis.Multiplexer));
        services.AddSingleton(typeof(HubLifetimeManager<>), typeof(ResilientHubLifetimeManager<>));
        return signalR;
    }
}
