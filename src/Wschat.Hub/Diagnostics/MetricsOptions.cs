namespace Wschat.Hub.Diagnostics;

/// <summary>The Prometheus endpoint, from the <c>Wschat:Metrics</c> section.</summary>
internal sealed class MetricsOptions
{
    public const string SectionName = "Wschat:Metrics";

    /// <summary>Serve <c>/metrics</c> on the node's own port. Off: no endpoint, and no exporter listening to the meters.</summary>
    public bool Enabled { get; set; } = true;

    /// <summary>Scrapes must present one of <c>Wschat:AdminTokens</c> (<c>Authorization: Bearer</c>); otherwise 403.</summary>
    public bool RequireAdminToken { get; set; }
}
