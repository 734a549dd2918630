using Microsoft.AspNetCore.SignalR;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace Wschat.Hub.Rooms;

internal static class RoomsSignalRServerBuilderExtensions
{
    /// <summary>
    /// Makes <see cref="RoomHubLifetimeManager{THub}"/> the lifetime manager of every hub, with the
    /// in-memory room broker and cluster bus unless <see cref="AddRedisRooms"/> registers the Redis ones.
    /// </summary>
    public static ISignalRServerBuilder AddWschatRooms(this ISignalRServerBuilder signalR, IConfiguration configuration)
    {
        var services = signalR.Services;
        services.AddValidatedOptions<RoomHistoryOptions>(configuration, RoomHistoryOptions.SectionName);
        services.AddValidatedOptions<RoomLimitsOptions>(configuration, RoomLimitsOptions.SectionName);
        services.AddSingleton<RoomMessageCodec>();
        services.AddSingleton<RoomHistoryReplies>();
        services.RemoveAll(typeof(HubLifetimeManager<>));
        services.AddSingleton(typeof(HubLifetimeManager<>), typeof(RoomHubLifetimeManager<>));
        services.AddSingleton(typeof(LocalConnections<>));
        services.AddSingleton(typeof(LocalRooms<>));
        services.AddSingleton(typeof(RoomPublisher<>));
        services.TryAddSingleton<IRoomBroker, MemoryRoomBroker>();
        services.TryAddSingleton(typeof(IClusterBus<>), typeof(MemoryClusterBus<>));
        return signalR;
    }

    /// <summary>
    /// The Redis room broker and cluster bus, in place of the in-memory ones whichever is registered first.
    /// </summary>
    public static IServiceCollection AddRedisRooms(this IServiceCollection services)
    {
        services.Replace(ServiceDescriptor.Singleton<IRoomBroker, RedisRoomBroker>());
        services.Replace(ServiceDescriptor.Singleton(typeof(IClusterBus<>), typeof(RedisClusterBus<>)));
        return services;
    }
}
