using System.ComponentModel.DataAnnotations;
using System.Security.Cryptography;
using System.Text;

namespace Wschat.Hub.Identity;

/// <summary>Secrets presented as <c>Authorization: Bearer</c>, and their comparison with the configured ones.</summary>
internal static class BearerTokens
{
    /// <summary>The token of the request's <c>Authorization: Bearer</c> header, or null.</summary>
    public static string? FromHeader(HttpRequest request)
    {
        string? header = request.Headers.Authorization;
        const string Bearer = "Bearer ";
        return header is not null && header.StartsWith(Bearer, StringComparison.OrdinalIgnoreCase) ? header[Bearer.Length..].Trim() : null;
    }

    /// <summary>Compares hashes in constant time, so neither content nor length leaks through timing.</summary>
    public static bool IsOneOf(string candidate, IReadOnlyList<string> tokens)
    {
        var presented = SHA256.HashData(Encoding.UTF8.GetBytes(candidate));
        var match = false;
        foreach (var token in tokens)
        {
            match |= CryptographicOperations.FixedTimeEquals(presented, SHA256.HashData(Encoding.UTF8.GetBytes(token)));
        }

        return match;
    }

    /// <summary>An error for each empty token of a configured list: a blank that some request could present by accident.</summary>
    public static IEnumerable<ValidationResult> Blanks(IReadOnlyList<string> tokens, string sectionName, string name)
    {
        for (var i = 0; i < tokens.Count; i++)
        {
            if (string.IsNullOrWhiteSpace(tokens[i]))
            {
                yield return new ValidationResult($"{sectionName}:{name}:{i} must not be empty.", [name]);
            }
        }
    }
}
