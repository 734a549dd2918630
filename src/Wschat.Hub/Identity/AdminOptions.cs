using System.ComponentModel.DataAnnotations;

namespace Wschat.Hub.Identity;

/// <summary>Who is an admin (<c>Wschat:AdminTokens</c>), and who may use the HTTP API (<c>Wschat:ApiKeys</c>).</summary>
internal sealed class AdminOptions : IValidatableObject
{
    public const string SectionName = "Wschat";

    /// <summary>Tokens that make a connection an admin (may run setbadwords, drain the node). Empty: nobody is.</summary>
    public IReadOnlyList<string> AdminTokens { get; set; } = [];

    /// <summary>Keys a site's backend presents to the HTTP API under <c>/api</c>. Empty: the API refuses everyone.</summary>
    public IReadOnlyList<string> ApiKeys { get; set; } = [];

    // An empty token would be a blank that some request could present by accident.
    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext) =>
        Blanks(AdminTokens, nameof(AdminTokens)).Concat(Blanks(ApiKeys, nameof(ApiKeys)));

    private static IEnumerable<ValidationResult> Blanks(IReadOnlyList<string> tokens, string name)
    {
        for (var i = 0; i < tokens.Count; i++)
        {
            if (string.IsNullOrWhiteSpace(tokens[i]))
            {
                yield return new ValidationResult($"Wschat:{name}:{i} must not be empty.", [name]);
            }
        }
    }
}
