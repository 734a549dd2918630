using Microsoft.AspNetCore.SignalR;
using Wschat.Hub.Identity;
using Wschat.Hub.Moderation;
using Wschat.Hub.Presence;

namespace Wschat.Hub.Backplane;

internal static class ClusterServiceCollectionExtensions
{
    /// <summary>
    /// Joins the cluster on Redis: presence, uids, leases and the word list in Redis, over the
    /// connection the room broker and SignalR's backplane share.
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
        return signalR;
    }
}
