namespace Wschat.Hub.Hosting;

internal static partial class HostingLog
{
    [LoggerMessage(1, LogLevel.Information, "Refused a WebSocket from origin {Origin}: not in Wschat:Limits:AllowedOrigins.")]
    public static partial void OriginRefused(ILogger logger, string origin);

    [LoggerMessage(2, LogLevel.Warning, "Refused a WebSocket: {MaxConnections} connections open (Wschat:Limits:MaxConnections).")]
    public static partial void ConnectionLimitReached(ILogger logger, int maxConnections);

    [LoggerMessage(3, LogLevel.Information, "Legacy {File}: listening on port {Port}{Tls}.")]
    public static partial void LegacyConfigApplied(ILogger logger, string file, int port, string tls);
}
