namespace Wschat.Hub.Redis;

internal static partial class RedisLog
{
    [LoggerMessage(1, LogLevel.Error, "Redis connection lost: cross-node messages are dropped and counts are this node's own until it returns.")]
    public static partial void RedisLost(ILogger logger, Exception? exception);

    [LoggerMessage(2, LogLevel.Information, "Redis connection restored: re-registering this node's connections and presence.")]
    public static partial void RedisRestored(ILogger logger);

    [LoggerMessage(3, LogLevel.Error, "Redis at {Configuration} is not reachable at start-up; serving local connections until it is.")]
    public static partial void RedisUnavailable(ILogger logger, string configuration);

    [LoggerMessage(4, LogLevel.Warning, "Resync '{Name}' after Redis returned failed; retrying with backoff until it succeeds or Redis is lost again.")]
    public static partial void ResyncFailing(ILogger logger, string name, Exception exception);

    [LoggerMessage(5, LogLevel.Information, "Resync '{Name}' succeeded after {Attempts} attempts.")]
    public static partial void ResyncRecovered(ILogger logger, string name, int attempts);

    [LoggerMessage(6, LogLevel.Error, "Resync '{Name}' failed with an error that is not retried; it runs again when Redis next returns.")]
    public static partial void ResyncAbandoned(ILogger logger, string name, Exception exception);
}
