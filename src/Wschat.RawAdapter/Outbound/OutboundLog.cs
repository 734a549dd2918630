using Microsoft.Extensions.Logging;

namespace Wschat.RawAdapter.Outbound;

internal static partial class OutboundLog
{
    [LoggerMessage(1, LogLevel.Information, "SignalR connection {ConnectionId} dropped: its client fell more than {Limit} bytes behind.")]
    public static partial void DroppingSlowConsumer(ILogger logger, string connectionId, int limit);
}
