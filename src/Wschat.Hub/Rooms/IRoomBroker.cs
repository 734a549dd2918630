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
