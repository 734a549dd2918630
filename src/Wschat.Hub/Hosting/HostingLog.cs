namespace Wschat.Hub.Hosting;

internal static partial class HostingLog
{
    [LoggerMessage(1, LogLevel.Information, "Refused a connection from origin {Origin}: not in Wschat:Limits:AllowedOrigins.")]
    public static partial void OriginRefused(ILogger logger, string origin);

    [LoggerMessage(2, LogLevel.Warning, "Refused a connection: {MaxConnections} connections open (Wschat:Limits:MaxConnections).")]
    public static partial void ConnectionLimitReached(ILogger logger, int maxConnections);

    [LoggerMessage(3, LogLevel.Information, "Legacy {File}: listening on port {Port}{Tls}.")]
    public static partial void LegacyConfigApplied(ILogger logger, string file, int port, string tls);

    // Debug: a connect storm would otherwise write a line per attempt.
    [LoggerMessage(20, LogLevel.Debug, "Refused a connection from {Address}: it opens connections faster than Wschat:Limits:ConnectionsPerSecondPerIp allows.")]
    public static partial void ConnectionRateLimited(ILogger logger, string address);
}
