namespace Wschat.Hub.Rooms;

internal static partial class RoomsLog
{
    [LoggerMessage(1, LogLevel.Debug, "Publishing to room {Room} through Redis failed; delivered on this node only.")]
    public static partial void PublishFailed(ILogger logger, string room, Exception exception);

    [LoggerMessage(2, LogLevel.Debug, "Subscribing to room {Room} failed; trying again in a second while Redis is up, else when it returns.")]
    public static partial void SubscribeFailed(ILogger logger, string room, Exception exception);

    [LoggerMessage(3, LogLevel.Debug, "Unsubscribing from room {Room} failed.")]
    public static partial void UnsubscribeFailed(ILogger logger, string room, Exception exception);

    [LoggerMessage(4, LogLevel.Error, "A message on room {Room}'s channel could not be read; it was skipped.")]
    public static partial void MalformedChannelMessage(ILogger logger, string room, Exception exception);

    [LoggerMessage(5, LogLevel.Warning, "Room {Room} has {Count} messages waiting for Redis; new ones are dropped until they have gone.")]
    public static partial void PublishBacklogFull(ILogger logger, string room, int count);

    [LoggerMessage(6, LogLevel.Warning, "Ending this node's subscription to room {Room} failed.")]
    public static partial void LeaveFailed(ILogger logger, string room, Exception exception);

    [LoggerMessage(7, LogLevel.Warning, "Subscribing to the cluster channel failed; private messages and sends to everyone from other nodes arrive once Redis is back.")]
    public static partial void ClusterSubscribeFailed(ILogger logger, Exception exception);

    [LoggerMessage(8, LogLevel.Error, "A message on the cluster channel could not be read; it was skipped.")]
    public static partial void MalformedClusterMessage(ILogger logger, Exception exception);

    [LoggerMessage(9, LogLevel.Error, "Delivering a batch of room {Room}'s messages to one of its subscribers failed.")]
    public static partial void DeliveryFailed(ILogger logger, string room, Exception exception);
}
