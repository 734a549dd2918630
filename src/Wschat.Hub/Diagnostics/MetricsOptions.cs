namespace Wschat.Hub.Diagnostics;

/// <summary>The Prometheus endpoint, from the <c>Wschat:Metrics</c> section.</summary>
internal sealed class MetricsOptions
{
    public const string SectionName = "Wschat:Metrics";

    /// <summary>Serve <c>/metrics</c> on the node's own port. Off: no endpoint, and no exporter listening to the meters.</summary>
    public bool Enabled { get; set; } = true;

    /// <summary>
    /// Also export ASP.NET Core's meters (Kestrel, HTTP requests, SignalR, authentication, ...). Off by default:
    /// while any of their instruments is listened to, every connection carries their tags and state for its whole
    /// life (0.5 KB per idle connection, docs/performance.md), and the node's own instruments already count
    /// connections, messages and errors.
    /// </summary>
    public bool AspNetCoreMeters { get; set; }

    /// <summary>Scrapes must present one of <c>Wschat:AdminTokens</c> (<c>Authorization: Bearer</c>); otherwise 403.</summary>
    public bool RequireAdminToken { get; set; }
}
