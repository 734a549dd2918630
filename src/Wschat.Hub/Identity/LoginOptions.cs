using System.ComponentModel.DataAnnotations;
using System.Security.Cryptography;
using System.Text;

namespace Wschat.Hub.Identity;

/// <summary>
/// Verified login, from the <c>Wschat:Login</c> section: with a key set, <c>login</c> must carry a JWT
/// signed by the site's backend. Without one, logins are taken as sent (the legacy contract).
/// </summary>
internal sealed class LoginOptions : IValidatableObject
{
    public const string SectionName = "Wschat:Login";

    // HS256 needs a key of at least 256 bits; the token library refuses shorter ones.
    private const int MinSigningKeyBytes = 32;

    /// <summary>Shared secret (UTF-8) of HMAC-signed tokens (HS256/384/512).</summary>
    public string? SigningKey { get; set; }

    /// <summary>PEM file holding the public key of RSA (RS*, PS*) or ECDSA (ES*) signed tokens.</summary>
    public string? PublicKeyFile { get; set; }

    /// <summary>When set, a token's <c>iss</c> must be this.</summary>
    public string? Issuer { get; set; }

    /// <summary>When set, a token's <c>aud</c> must include this.</summary>
    public string? Audience { get; set; }

    /// <summary>Tolerance for clocks of the backend and the node apart, in seconds, on <c>exp</c> and <c>nbf</c>.</summary>
    [Range(0, 300, ErrorMessage = "Wschat:Login:ClockSkewSeconds must be 0 to 300.")]
    public int ClockSkewSeconds { get; set; } = 30;

    /// <summary>
    /// Longest a token may still be valid at login, in seconds: one whose <c>exp</c> lies further ahead
    /// (beyond the clock skew) is refused, so a leaked token is of use for this long at most.
    /// </summary>
    [Range(1, int.MaxValue, ErrorMessage = "Wschat:Login:MaxTokenLifetimeSeconds must be at least 1.")]
    public int MaxTokenLifetimeSeconds { get; set; } = 86_400;

    public bool IsEnabled => !string.IsNullOrEmpty(SigningKey) || !string.IsNullOrEmpty(PublicKeyFile);

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        // Without a key nothing is verified: an issuer or audience alone would look like verified login and be none.
        if (!IsEnabled && (!string.IsNullOrEmpty(Issuer) || !string.IsNullOrEmpty(Audience)))
        {
            var names = (string.IsNullOrEmpty(Issuer), string.IsNullOrEmpty(Audience)) switch
            {
                (false, false) => "Wschat:Login:Issuer and Wschat:Login:Audience",
                (false, true) => "Wschat:Login:Issuer",
                _ => "Wschat:Login:Audience",
            };
            yield return new ValidationResult(
                $"{names} without Wschat:Login:SigningKey or Wschat:Login:PublicKeyFile would leave logins unverified: set a key, or remove {names}.",
                [nameof(Issuer), nameof(Audience)]);
        }

        if (!string.IsNullOrEmpty(SigningKey) && !string.IsNullOrEmpty(PublicKeyFile))
        {
            yield return new ValidationResult("Set one of Wschat:Login:SigningKey and Wschat:Login:PublicKeyFile, not both.", [nameof(SigningKey)]);
        }
        else if (!string.IsNullOrEmpty(SigningKey) && Encoding.UTF8.GetByteCount(SigningKey) < MinSigningKeyBytes)
        {
            yield return new ValidationResult($"Wschat:Login:SigningKey must be at least {MinSigningKeyBytes} bytes.", [nameof(SigningKey)]);
        }
        else if (!string.IsNullOrEmpty(PublicKeyFile) && LoadError() is { } error)
        {
            yield return new ValidationResult($"Wschat:Login:PublicKeyFile: {error}", [nameof(PublicKeyFile)]);
        }
    }

    private string? LoadError()
    {
        try
        {
            using var key = LoginTokenVerifier.LoadPublicKey(PublicKeyFile!);
            return null;
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or ArgumentException or CryptographicException)
        {
            return ex.Message;
        }
    }
}
