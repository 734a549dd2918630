namespace Wschat.Hub.Rooms;

/// <summary>Room sends from outside the hub (the HTTP API), on the paths the hub's own take.</summary>
internal interface IRoomPublisher
{
    /// <summary>
    /// A room send like the hub's group sends, that learns the place the broker gave it; faults with
    /// <see cref="RoomBacklogFullException"/> if the room's backlog dropped it.
    /// </summary>
    Task<RoomPosition> PublishAsync(string room, string methodName, object?[] args);

    /// <summary>Sends the invocation to <paramref name="userId"/>'s connections in <paramref name="room"/>, on any node, and closes them.</summary>
    void Kick(string room, string userId, string methodName, object?[] args);
}
