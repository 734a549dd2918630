using System.Security.Cryptography;
using System.Text;
using Microsoft.Extensions.Options;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;
using Wschat.Contracts;

namespace Wschat.Hub.Identity;

/// <summary>
/// Checks the token of a <c>login</c> when <see cref="LoginOptions"/> name a key: signature, an
/// <c>exp</c> neither past nor further ahead than <see cref="LoginOptions.MaxTokenLifetimeSeconds"/>,
/// and issuer and audience (which the token must then carry) when configured; the token's claims
/// then give the profile.
/// Without a key, every login passes as sent.
/// </summary>
internal sealed class LoginTokenVerifier : IDisposable
{
    public const string UnameClaim = "uname";
    public const string AvatarClaim = "avatar";
    public const string LoginIdClaim = "loginid";

    private readonly JsonWebTokenHandler _handler = new();
    private readonly AsymmetricAlgorithm? _publicKey;

    // Null: logins are not verified.
    private readonly TokenValidationParameters? _parameters;

    private readonly TimeSpan _maxLifetime;

    public LoginTokenVerifier(IOptions<LoginOptions> options)
    {
        var login = options.Value;
        if (!login.IsEnabled)
        {
            return;
        }

        // Each key type accepts only its own algorithms: an RSA public key is never taken as an HMAC secret.
        (SecurityKey key, string[] algorithms) = login.PublicKeyFile is { Length: > 0 } file
            ? (_publicKey = LoadPublicKey(file)) switch
            {
                RSA rsa => ((SecurityKey)new RsaSecurityKey(rsa), new[]
                {
                    SecurityAlgorithms.RsaSha256, SecurityAlgorithms.RsaSha384, SecurityAlgorithms.RsaSha512,
                    SecurityAlgorithms.RsaSsaPssSha256, SecurityAlgorithms.RsaSsaPssSha384, SecurityAlgorithms.RsaSsaPssSha512,
                }),
                var ecdsa => (new ECDsaSecurityKey((ECDsa)ecdsa), [SecurityAlgorithms.EcdsaSha256, SecurityAlgorithms.EcdsaSha384, SecurityAlgorithms.EcdsaSha512]),
            }
            : (new SymmetricSecurityKey(Encoding.UTF8.GetBytes(login.SigningKey!)), [SecurityAlgorithms.HmacSha256, SecurityAlgorithms.HmacSha384, SecurityAlgorithms.HmacSha512]);

        _parameters = new TokenValidationParameters
        {
            IssuerSigningKey = key,
            ValidAlgorithms = algorithms,
            ValidateIssuerSigningKey = true,
            RequireSignedTokens = true,
            RequireExpirationTime = true,
            ValidateLifetime = true,
            ClockSkew = TimeSpan.FromSeconds(login.ClockSkewSeconds),
            ValidateIssuer = login.Issuer is not null,
            ValidIssuer = login.Issuer,
            ValidateAudience = login.Audience is not null,
            ValidAudience = login.Audience,
        };
        _maxLifetime = TimeSpan.FromSeconds(login.MaxTokenLifetimeSeconds) + _parameters.ClockSkew;
    }

    /// <summary>The RSA or ECDSA public key in a PEM file (<c>PUBLIC KEY</c> or <c>RSA PUBLIC KEY</c>).</summary>
    /// <exception cref="ArgumentException">The file holds neither.</exception>
    public static AsymmetricAlgorithm LoadPublicKey(string path)
    {
        var pem = File.ReadAllText(path);
        return TryImport(RSA.Create(), pem) ?? TryImport(ECDsa.Create(), pem)
            ?? throw new ArgumentException($"{path} holds no RSA or ECDSA public key in PEM.", nameof(path));
    }

    /// <summary>The login as it is to be taken, or why it is refused.</summary>
    public async Task<LoginVerification> VerifyAsync(LoginRequest request)
    {
        if (_parameters is null)
        {
            return new LoginVerification(request, null);
        }

        if (string.IsNullOrEmpty(request.Token))
        {
            return new LoginVerification(null, "login needs a token from the site");
        }

        var result = await _handler.ValidateTokenAsync(request.Token, _parameters);
        if (!result.IsValid)
        {
            return new LoginVerification(null, result.Exception is SecurityTokenExpiredException ? "the login token has expired" : "the login token is not valid");
        }

        if (result.SecurityToken.ValidTo - DateTime.UtcNow > _maxLifetime)
        {
            return new LoginVerification(null, "the login token is valid for longer than the server accepts");
        }

        if (Claim(result, UnameClaim) is not { } uname)
        {
            return new LoginVerification(null, "the login token has no uname claim");
        }

        return new LoginVerification(request with { Uname = uname, Avatar = Claim(result, AvatarClaim) ?? "", LoginId = Claim(result, LoginIdClaim) ?? "" }, null, Verified: true);
    }

    public void Dispose() => _publicKey?.Dispose();

    private static AsymmetricAlgorithm? TryImport(AsymmetricAlgorithm key, string pem)
    {
        try
        {
            key.ImportFromPem(pem);
            return key;
        }
        catch (Exception ex) when (ex is ArgumentException or CryptographicException)
        {
            key.Dispose();
            return null;
        }
    }

    private static string? Claim(TokenValidationResult result, string name) => result.Claims.TryGetValue(name, out var value) ? value as string : null;
}

/// <param name="Login">The login to take (with a token, its claims in place of the sent fields); null when refused.</param>
/// <param name="Refusal">Why it is refused, for the client.</param>
/// <param name="Verified">The login's claims come from a verified token (its <c>loginid</c> may key mutes and bans).</param>
internal sealed record LoginVerification(LoginRequest? Login, string? Refusal, bool Verified = false);
