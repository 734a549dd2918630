namespace Wschat.Hub.Presence;

internal static partial class PresenceLog
{
    [LoggerMessage(1, LogLevel.Debug, "A presence update did not reach Redis; answering from this node's share.")]
    public static partial void RedisStepFailed(ILogger logger, Exception exception);

    [LoggerMessage(2, LogLevel.Information, "Re-registered {Members} room members and {Connections} connections with Redis.")]
    public static partial void Resynced(ILogger logger, int members, int connections);

    [LoggerMessage(3, LogLevel.Warning, "Node {Node} missed its lease: removed {Count} of its room members.")]
    public static partial void ReapedNode(ILogger logger, string node, int count);

    [LoggerMessage(4, LogLevel.Warning, "Presence lease upkeep failed.")]
    public static partial void LeaseFailed(ILogger logger, Exception exception);

    [LoggerMessage(5, LogLevel.Warning, "This node's presence lease was {Renewal} (it missed its renewals, and other nodes may have removed its presence): re-registered {Members} room members and {Connections} connections.")]
    public static partial void LeaseLost(ILogger logger, LeaseRenewal renewal, int members, int connections);
}
