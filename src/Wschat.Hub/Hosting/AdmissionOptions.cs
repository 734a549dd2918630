using System.ComponentModel.DataAnnotations;

namespace Wschat.Hub.Hosting;

/// <summary>
/// Which connections are let in, from the <c>Wschat:Limits</c> section: the same for raw
/// WebSockets and for every SignalR transport (WebSockets, Server-Sent Events, long polling).
/// </summary>
internal sealed class AdmissionOptions : IValidatableObject
{
    public const string SectionName = "Wschat:Limits";

    /// <summary>Most concurrent connections on this node, both endpoints and every transport together. 0: unlimited.</summary>
    [Range(0, int.MaxValue, ErrorMessage = "Wschat:Limits:MaxConnections must be at least 0 (0: unlimited).")]
    public int MaxConnections { get; set; } = 50_000;

    /// <summary>Origins allowed to connect (e.g. <c>https://player.example.com</c>). Empty: any origin.</summary>
    public IReadOnlyList<string> AllowedOrigins { get; set; } = [];

    /// <summary>
    /// New connections per second from one client address, all transports together (token bucket
    /// refill). Generous, since viewers share NAT addresses: it stops a connect storm from one
    /// address, not an office. 0: no limit.
    /// </summary>
    [Range(0, int.MaxValue, ErrorMessage = "Wschat:Limits:ConnectionsPerSecondPerIp must be at least 0 (0: no limit).")]
    public int ConnectionsPerSecondPerIp { get; set; } = 20;

    /// <summary>New connections one client address may open at once (token bucket size): everyone behind a NAT reconnecting after a restart.</summary>
    [Range(1, int.MaxValue, ErrorMessage = "Wschat:Limits:ConnectionBurstPerIp must be at least 1.")]
    public int ConnectionBurstPerIp { get; set; } = 200;

    // An empty entry matches no browser's Origin header: a typo that would lock every player out.
    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        for (var i = 0; i < AllowedOrigins.Count; i++)
        {
            if (string.IsNullOrWhiteSpace(AllowedOrigins[i]))
            {
                yield return new ValidationResult($"Wschat:Limits:AllowedOrigins:{i} must not be empty.", [nameof(AllowedOrigins)]);
            }
        }
    }
}
