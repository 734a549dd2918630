using System.ComponentModel.DataAnnotations;

namespace Wschat.Hub.Diagnostics;

/// <summary>The Prometheus endpoint, from the <c>Wschat:Metrics</c> section.</summary>
internal sealed class MetricsOptions
{
    public const string SectionName = "Wschat:Metrics";

    /// <summary>Serve <c>/metrics</c> (on the node's own ports, or on <see cref="Port"/>). Off: no endpoint, and no exporter listening to the meters.</summary>
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

    /// <summary>
    /// A management port: the node also listens on it (plain HTTP, every address) and serves <c>/metrics</c> there
    /// alone, neither anything else there nor <c>/metrics</c> on its other ports. Unset: <c>/metrics</c> on the node's own ports.
    /// </summary>
    [Range(1, 65535, ErrorMessage = "Wschat:Metrics:Port must be a port number from 1 to 65535 (unset: metrics on the node's own ports).")]
    public int? Port { get; set; }
}
