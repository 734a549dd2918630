using Microsoft.AspNetCore.SignalR;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Wschat.Hub.Redis;

namespace Wschat.Hub.Rooms;

internal static class RoomsSignalRServerBuilderExtensions
{
    /// <summary>
    /// Makes <see cref="RoomHubLifetimeManager{THub}"/> the lifetime manager of every hub, with the
    /// in-memory room broker, or with the Redis one and the cluster bus for what is not a room when
    /// Redis is configured. The one place either is chosen.
    /// </summary>
    public static ISignalRServerBuilder AddWschatRooms(this ISignalRServerBuilder signalR, IConfiguration configuration)
    {
        var services = signalR.Services;
        var clustered = RedisConnectionOptions.IsConfigured(configuration);
        services.AddValidatedOptions<RoomHistoryOptions>(configuration, RoomHistoryOptions.SectionName);
        services.AddValidatedOptions<RoomLimitsOptions>(configuration, RoomLimitsOptions.SectionName);
        services.AddSingleton<RoomMessageCodec>();
        services.AddSingleton<RoomHistoryReplies>();
        services.RemoveAll(typeof(HubLifetimeManager<>));
        services.AddSingleton(typeof(HubLifetimeManager<>), typeof(RoomHubLifetimeManager<>));
        if (!clustered)
        {
            services.AddSingleton<IRoomBroker, MemoryRoomBroker>();
            return signalR;
        }

        services.AddSingleton<IRoomBroker, RedisRoomBroker>();
        services.AddSingleton(typeof(RedisClusterBus<>));
        return signalR;
    }
}
