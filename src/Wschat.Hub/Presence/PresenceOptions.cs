using System.ComponentModel.DataAnnotations;

namespace Wschat.Hub.Presence;

/// <summary>Presence keys of the <c>Wschat</c> section.</summary>
internal sealed class PresenceOptions
{
    public const string SectionName = "Wschat";

    /// <summary>
    /// Seconds a node's presence outlives its last renewal (by Redis's clock); a crashed node's users
    /// vanish within it and a fifth more (the sweep). At most a day: the lease is renewed, and other
    /// nodes' leases checked, on a timer of a fifth of it. A node that misses renewals for this long
    /// is removed, and writes its presence back as soon as it renews again.
    /// </summary>
    [Range(1, 86_400, ErrorMessage = "Wschat:PresenceLeaseSeconds must be from {1} to {2}.")]
    public int PresenceLeaseSeconds { get; set; } = 6;
}
