using System.ComponentModel.DataAnnotations;

namespace Wschat.Hub.Hosting;

/// <summary>Which WebSockets are let in, from the <c>Wschat:Limits</c> section.</summary>
internal sealed class AdmissionOptions : IValidatableObject
{
    public const string SectionName = "Wschat:Limits";

    /// <summary>Most concurrent WebSocket connections on this node, both endpoints together. 0: unlimited.</summary>
    [Range(0, int.MaxValue, ErrorMessage = "Wschat:Limits:MaxConnections must be at least 0 (0: unlimited).")]
    public int MaxConnections { get; set; } = 50_000;

    /// <summary>Origins allowed to open WebSockets (e.g. <c>https://player.example.com</c>). Empty: any origin.</summary>
    public IReadOnlyList<string> AllowedOrigins { get; set; } = [];

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
