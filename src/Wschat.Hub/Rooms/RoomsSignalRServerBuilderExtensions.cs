using Microsoft.AspNetCore.SignalR;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Wschat.Hub.Redis;

namespace Wschat.Hub.Rooms;

internal static class RoomsSignalRServerBuilderExtensions
{
    /// <summary>
    /// Makes <see cref="RoomHubLifetimeManager{THub}"/> the lifetime manager of every hub, with the
    /// in-memory room broker and cluster bus, or with the Redis ones when Redis is configured. The one
    /// place either is chosen.
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
        services.AddSingleton(typeof(LocalConnections<>));
        services.AddSingleton(typeof(LocalRooms<>));
        services.AddSingleton(typeof(RoomPublisher<>));
        if (!clustered)
        {
            services.AddSingleton<IRoomBroker, MemoryRoomBroker>();
            services.AddSingleton(typeof(IClusterBus<>), typeof(MemoryClusterBus<>));
            return signalR;
        }

        services.AddSingleton<IRoomBroker, RedisRoomBroker>();
        services.AddSingleton(typeof(IClusterBus<>), typeof(RedisClusterBus<>));
        return signalR;
    }
}
