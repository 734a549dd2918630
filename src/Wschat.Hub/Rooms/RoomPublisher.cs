namespace Wschat.Hub.Rooms;

/// <summary>The HTTP API's room sends: through the broker, as the lifetime manager's group sends go, and kicks on the cluster bus.</summary>
internal sealed class RoomPublisher<THub>(IRoomBroker broker, IClusterBus<THub> cluster) : IRoomPublisher
    where THub : Microsoft.AspNetCore.SignalR.Hub
{
    public Task<RoomPosition> PublishAsync(string room, string methodName, object?[] args) =>
        broker.PublishAsync(room, RoomMessage.ToRoom(methodName, args));

    public void Kick(string room, string userId, string methodName, object?[] args) =>
        cluster.Publish(new ClusterSend(ClusterSendKind.Kick, [room, userId], new RoomMessage(RoomMessage.Serialize(methodName, args))));
}
