using System.ComponentModel.DataAnnotations;

namespace Wschat.Hub.Identity;

/// <summary>Who may use the HTTP API: <c>Wschat:ApiKeys</c>. Admin tokens are not API keys.</summary>
internal sealed class ApiKeyOptions : IValidatableObject
{
    public const string SectionName = "Wschat";

    /// <summary>Keys a site's backend presents to the HTTP API under <c>/api</c>. Empty: the API refuses everyone.</summary>
    public IReadOnlyList<string> ApiKeys { get; set; } = [];

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext) =>
        BearerTokens.Blanks(ApiKeys, SectionName, nameof(ApiKeys));
}
