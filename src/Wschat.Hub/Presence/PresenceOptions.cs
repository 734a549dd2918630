using System.ComponentModel.DataAnnotations;

namespace Wschat.Hub.Presence;

/// <summary>Presence keys of the <c>Wschat</c> section.</summary>
internal sealed class PresenceOptions
{
    public const string SectionName = "Wschat";

    /// <summary>
    /// Seconds a node's presence outlives its last renewal; a crashed node's users vanish after it.
    /// At most a day: the lease is renewed on a timer of a fifth of it.
    /// </summary>
    [Range(1, 86_400, ErrorMessage = "Wschat:PresenceLeaseSeconds must be from {1} to {2}.")]
    public int PresenceLeaseSeconds { get; set; } = 15;
}
