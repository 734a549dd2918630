using System.ComponentModel.DataAnnotations;

namespace Wschat.Outbound;

/// <summary>The bound of every connection's outbound queue, from the <c>Wschat:Outbound</c> section.</summary>
public sealed class OutboundOptions
{
    public const string SectionName = "Wschat:Outbound";

    /// <summary>
    /// Bytes that may wait for one client that does not read fast enough (queued and being written),
    /// on every transport; past it the connection is dropped (its client reconnects) rather than hold
    /// memory or slow the room down.
    /// </summary>
    [Range(1, int.MaxValue, ErrorMessage = "Wschat:Outbound:MaxQueuedBytes (or Wschat:Limits:MaxQueuedBytes) must be at least 1.")]
    public int MaxQueuedBytes { get; set; } = 1024 * 1024;
}
