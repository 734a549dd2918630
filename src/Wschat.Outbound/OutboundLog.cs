using Microsoft.Extensions.Logging;

namespace Wschat.Outbound;

internal static partial class OutboundLog
{
    [LoggerMessage(1, LogLevel.Information, "Connection {ConnectionId} dropped: its client fell more than {Limit} bytes behind.")]
    public static partial void DroppingSlowConsumer(ILogger logger, string connectionId, int limit);

    [LoggerMessage(2, LogLevel.Debug, "Connection {ConnectionId} dropped: a write failed.")]
    public static partial void WriteFailed(ILogger logger, string connectionId, Exception exception);
}
