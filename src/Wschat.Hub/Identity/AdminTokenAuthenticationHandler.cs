using System.Security.Claims;
using System.Text.Encodings.Web;
using Microsoft.AspNetCore.Authentication;
using Microsoft.Extensions.Options;
using Microsoft.Net.Http.Headers;

namespace Wschat.Hub.Identity;

/// <summary>
/// Marks a connection as admin when it presents one of <c>Wschat:AdminTokens</c>, as
/// <c>?access_token=</c> (raw WebSocket clients cannot set headers) or <c>Authorization: Bearer</c>.
/// Anyone else stays anonymous and may still chat.
/// </summary>
internal sealed class AdminTokenAuthenticationHandler(
    IOptionsMonitor<AuthenticationSchemeOptions> options,
    ILoggerFactory logger,
    UrlEncoder encoder,
    IOptionsMonitor<AdminOptions> admins)
    : AuthenticationHandler<AuthenticationSchemeOptions>(options, logger, encoder)
{
    public const string SchemeName = "WschatAdminToken";
    public const string AdminRole = "wschat-admin";

    private const string QueryParameter = "access_token";

    /// <summary>True if the request carries a token this scheme would look at.</summary>
    public static bool IsPresented(HttpRequest request) =>
        request.Headers.ContainsKey(HeaderNames.Authorization) || (request.QueryString.HasValue && request.Query.ContainsKey(QueryParameter));

    protected override Task<AuthenticateResult> HandleAuthenticateAsync()
    {
        var token = PresentedToken();
        if (string.IsNullOrEmpty(token) || !BearerTokens.IsOneOf(token, admins.CurrentValue.AdminTokens))
        {
            return Task.FromResult(AuthenticateResult.NoResult());
        }

        var identity = new ClaimsIdentity([new Claim(ClaimTypes.Role, AdminRole)], SchemeName);
        return Task.FromResult(AuthenticateResult.Success(new AuthenticationTicket(new ClaimsPrincipal(identity), SchemeName)));
    }

    private string? PresentedToken() => BearerTokens.FromHeader(Request) ?? Request.Query[QueryParameter];
}
