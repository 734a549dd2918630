using System.ComponentModel.DataAnnotations;

namespace Wschat.Hub.Hosting;

/// <summary>Message sizes of both endpoints, from the <c>Wschat:Limits</c> section.</summary>
internal sealed class TransportLimitsOptions
{
    public const string SectionName = "Wschat:Limits";

    /// <summary>Largest message accepted, in bytes, on both endpoints.</summary>
    [Range(1, int.MaxValue, ErrorMessage = "Wschat:Limits:MaxMessageBytes must be at least 1.")]
    public int MaxMessageBytes { get; set; } = 64 * 1024;
}
