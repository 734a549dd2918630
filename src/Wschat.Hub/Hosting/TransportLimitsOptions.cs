using System.ComponentModel.DataAnnotations;

namespace Wschat.Hub.Hosting;

/// <summary>Message and queue sizes of both endpoints, from the <c>Wschat:Limits</c> section.</summary>
internal sealed class TransportLimitsOptions
{
    public const string SectionName = "Wschat:Limits";

    /// <summary>Largest message accepted, in bytes, on both endpoints.</summary>
    [Range(1, int.MaxValue, ErrorMessage = "Wschat:Limits:MaxMessageBytes must be at least 1.")]
    public int MaxMessageBytes { get; set; } = 64 * 1024;

    /// <summary>Bytes that may wait for one raw client that reads too slowly; past it the socket is closed.</summary>
    [Range(1, int.MaxValue, ErrorMessage = "Wschat:Limits:MaxQueuedBytes must be at least 1.")]
    public int MaxQueuedBytes { get; set; } = 1024 * 1024;
}
