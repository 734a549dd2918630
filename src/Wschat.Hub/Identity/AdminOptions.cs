using System.ComponentModel.DataAnnotations;

namespace Wschat.Hub.Identity;

/// <summary>Who is an admin: <c>Wschat:AdminTokens</c>.</summary>
internal sealed class AdminOptions : IValidatableObject
{
    public const string SectionName = "Wschat";

    /// <summary>Tokens that make a connection an admin (may run setbadwords, drain the node). Empty: nobody is.</summary>
    public IReadOnlyList<string> AdminTokens { get; set; } = [];

    // An empty token would be a blank that some request could present by accident.
    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        for (var i = 0; i < AdminTokens.Count; i++)
        {
            if (string.IsNullOrWhiteSpace(AdminTokens[i]))
            {
                yield return new ValidationResult($"Wschat:AdminTokens:{i} must not be empty.", [nameof(AdminTokens)]);
            }
        }
    }
}
