using System.ComponentModel.DataAnnotations;

namespace Wschat.Hub.Identity;

/// <summary>Who is an admin: <c>Wschat:AdminTokens</c>.</summary>
internal sealed class AdminOptions : IValidatableObject
{
    public const string SectionName = "Wschat";

    /// <summary>Tokens that make a connection an admin (may run setbadwords, drain the node). Empty: nobody is.</summary>
    public IReadOnlyList<string> AdminTokens { get; set; } = [];

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext) =>
        BearerTokens.Blanks(AdminTokens, SectionName, nameof(AdminTokens));
}
