using Microsoft.AspNetCore.SignalR;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace Wschat.Hub.Rooms;

internal static class RoomsSignalRServerBuilderExtensions
{
    /// <summary>
    /// Makes <see cref="RoomHubLifetimeManager{THub}"/> the lifetime manager of every hub, with the
    /// in-memory room broker unless <see cref="AddRedisRooms"/> registers the Redis one.
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
        services.TryAddSingleton<IRoomBroker, MemoryRoomBroker>();
        return signalR;
    }

    /// <summary>
    /// The Redis room broker, in place of the in-memory one whichever is registered first, and the
    /// cluster bus for what is not a room.
    /// </summary>
    public static IServiceCollection AddRedisRooms(this IServiceCollection services)
    {
        services.Replace(ServiceDescriptor.Singleton<IRoomBroker, RedisRoomBroker>());
        services.AddSingleton(typeof(RedisClusterBus<>));
        return services;
    }
}
