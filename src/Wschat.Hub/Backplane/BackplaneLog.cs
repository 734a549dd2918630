namespace Wschat.Hub.Backplane;

internal static partial class BackplaneLog
{
    [LoggerMessage(1, LogLevel.Error, "Redis connection lost: cross-node messages are dropped and counts are this node's own until it returns.")]
    public static partial void RedisLost(ILogger logger, Exception? exception);

    [LoggerMessage(2, LogLevel.Information, "Redis connection restored: re-registering this node's connections and presence.")]
    public static partial void RedisRestored(ILogger logger);

    [LoggerMessage(3, LogLevel.Error, "Redis at {Configuration} is not reachable at start-up; serving local connections until it is.")]
    public static partial void RedisUnavailable(ILogger logger, string configuration);

    [LoggerMessage(4, LogLevel.Warning, "Re-registering with Redis failed; will retry on the next reconnect.")]
    public static partial void ResyncFailed(ILogger logger, Exception exception);

    [LoggerMessage(5, LogLevel.Debug, "A backplane operation failed while Redis is away.")]
    public static partial void OperationFailed(ILogger logger, Exception exception);

    [LoggerMessage(6, LogLevel.Information, "Re-registered {Count} connections with the backplane.")]
    public static partial void Resynced(ILogger logger, int count);
}
