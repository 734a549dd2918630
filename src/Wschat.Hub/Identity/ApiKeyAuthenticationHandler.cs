using System.Security.Claims;
using System.Text.Encodings.Web;
using Microsoft.AspNetCore.Authentication;
using Microsoft.Extensions.Options;

namespace Wschat.Hub.Identity;

/// <summary>
/// Authenticates a site's backend on the HTTP API: one of <c>Wschat:ApiKeys</c> as <c>Authorization: Bearer</c>.
/// Only the header: a key in a query string would end up in access logs. Admin tokens are not API keys.
/// </summary>
internal sealed class ApiKeyAuthenticationHandler(
    IOptionsMonitor<AuthenticationSchemeOptions> options,
    ILoggerFactory logger,
    UrlEncoder encoder,
    IOptionsMonitor<ApiKeyOptions> keys)
    : AuthenticationHandler<AuthenticationSchemeOptions>(options, logger, encoder)
{
    public const string SchemeName = "WschatApiKey";

    /// <summary>The authorization policy of every <c>/api</c> endpoint.</summary>
    public const string PolicyName = "WschatApi";

    protected override Task<AuthenticateResult> HandleAuthenticateAsync()
    {
        var key = BearerTokens.FromHeader(Request);
        if (string.IsNullOrEmpty(key))
        {
            return Task.FromResult(AuthenticateResult.NoResult());
        }

        if (!BearerTokens.IsOneOf(key, keys.CurrentValue.ApiKeys))
        {
            return Task.FromResult(AuthenticateResult.Fail("unknown API key"));
        }

        var identity = new ClaimsIdentity([new Claim(ClaimTypes.Name, "api")], SchemeName);
        return Task.FromResult(AuthenticateResult.Success(new AuthenticationTicket(new ClaimsPrincipal(identity), SchemeName)));
    }

    protected override Task HandleChallengeAsync(AuthenticationProperties properties)
    {
        Response.Headers.WWWAuthenticate = "Bearer";
        return base.HandleChallengeAsync(properties);
    }
}
