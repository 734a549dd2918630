using System.Net.WebSockets;
using Microsoft.Extensions.Logging;

namespace Wschat.RawAdapter.Transport;

internal static partial class RawTransportLog
{
    [LoggerMessage(1, LogLevel.Debug, "Raw wschat connection {ConnectionId} opened.")]
    public static partial void Opened(ILogger logger, string connectionId);

    [LoggerMessage(2, LogLevel.Debug, "Raw wschat connection {ConnectionId} closed.")]
    public static partial void Closed(ILogger logger, string connectionId);

    [LoggerMessage(3, LogLevel.Information, "Raw wschat connection {ConnectionId} closed after {Count} refused frames in a row.")]
    public static partial void ClosingAbusive(ILogger logger, string connectionId, int count);

    [LoggerMessage(4, LogLevel.Debug, "Raw wschat connection {ConnectionId} socket error.")]
    public static partial void SocketError(ILogger logger, string connectionId, WebSocketException exception);

    [LoggerMessage(5, LogLevel.Debug, "Request to the raw wschat endpoint was not a WebSocket request.")]
    public static partial void NotWebSocket(ILogger logger);

    [LoggerMessage(7, LogLevel.Debug, "Request to the raw wschat endpoint was no valid WebSocket handshake.")]
    public static partial void BadHandshake(ILogger logger);
}
