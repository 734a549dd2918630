namespace Wschat.Hub.Rooms;

/// <summary>
/// Carries room messages to every node with members in the room, in one order: each message gets
/// the room's next offset, and every subscriber sees a room's messages in offset order. A room's
/// recent messages are kept as its history, readable since an offset of the current epoch.
/// </summary>
internal interface IRoomBroker
{
    /// <summary>
    /// Hands a message to the room; returns at once, without waiting for any node or socket. A
    /// backplane outage never surfaces here: the message then reaches this node's subscribers only.
    /// </summary>
    void Publish(string room, RoomMessage message);

    /// <summary>
    /// Hands a message to the room like <see cref="Publish"/>, and learns the place it got: completes once
    /// the broker numbered it (in Redis, or in this node's epoch while Redis is away); faults with
    /// <see cref="RoomBacklogFullException"/> if the room's backlog dropped it. For callers that report the
    /// place (the HTTP API); the hub's own sends use <see cref="Publish"/> and wait for nothing.
    /// </summary>
    Task<RoomPosition> PublishAsync(string room, RoomMessage message);

    /// <summary>
    /// Delivers the room's messages to <paramref name="subscriber"/> from the time this completes
    /// until the returned handle is disposed. Completes even while the backplane is away (the
    /// subscription is made when it returns).
    /// </summary>
    Task<IAsyncDisposable> SubscribeAsync(string room, IRoomSubscriber subscriber, CancellationToken cancellationToken);

    /// <summary>
    /// The room's retained messages after <paramref name="since"/>, at most <paramref name="limit"/>.
    /// If <paramref name="since"/> is of another epoch (the history was lost meanwhile) the read
    /// starts at the oldest retained message; the epoch of <see cref="RoomHistory.Last"/> tells the reader.
    /// </summary>
    Task<RoomHistory> ReadHistoryAsync(string room, RoomPosition since, int limit, CancellationToken cancellationToken);
}

/// <summary>Receives a room's messages, one batch at a time, in offset order, never concurrently for one room.</summary>
internal interface IRoomSubscriber
{
    /// <summary>Must not block: it runs on the broker's delivery path for the room.</summary>
    void OnPublished(IReadOnlyList<RoomPublication> batch);
}

/// <summary>A message was dropped before it was numbered: the room's messages wait for the backplane beyond its limit.</summary>
internal sealed class RoomBacklogFullException(string room) : Exception($"Room {room} has too many messages waiting for Redis.");
