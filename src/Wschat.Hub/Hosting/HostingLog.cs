namespace Wschat.Hub.Hosting;

internal static partial class HostingLog
{
    [LoggerMessage(1, LogLevel.Information, "Refused a connection from origin {Origin}: not in Wschat:Limits:AllowedOrigins.")]
    public static partial void OriginRefused(ILogger logger, string origin);

    [LoggerMessage(2, LogLevel.Warning, "Refused a connection: {MaxConnections} connections open (Wschat:Limits:MaxConnections).")]
    public static partial void ConnectionLimitReached(ILogger logger, int maxConnections);

    [LoggerMessage(3, LogLevel.Information, "Listening on port {Port} {Tls} as {File} says: none of urls, http_ports, https_ports or Kestrel:Endpoints is set.")]
    public static partial void LegacyConfigApplied(ILogger logger, int port, string tls, string file);

    // Ids from 30: other listen and admission messages may be added in between.
    [LoggerMessage(30, LogLevel.Warning, "{File} is not used: {Key} from {Source} says where to listen ({Value}).")]
    public static partial void LegacyConfigOverridden(ILogger logger, string file, string key, string source, string value);

    [LoggerMessage(31, LogLevel.Information, "Listening where {Key} from {Source} says ({Value}); there is no {File}.")]
    public static partial void ListeningAsAspNetCoreSays(ILogger logger, string key, string source, string value, string file);

    [LoggerMessage(32, LogLevel.Information, "Listening on port {Port} for /metrics alone (Wschat:Metrics:Port); the other ports do not serve it.")]
    public static partial void ListeningForMetrics(ILogger logger, int port);

    // Debug: a connect storm would otherwise write a line per attempt.
    [LoggerMessage(21, LogLevel.Debug, "Refused a connection: this node is stopping.")]
    public static partial void RefusedWhileStopping(ILogger logger);

    [LoggerMessage(20, LogLevel.Debug, "Refused a connection from {Address}: it opens connections faster than Wschat:Limits:ConnectionsPerSecondPerIp allows.")]
    public static partial void ConnectionRateLimited(ILogger logger, string address);
}
