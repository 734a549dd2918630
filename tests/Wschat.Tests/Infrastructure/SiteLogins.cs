using System.Text;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace Wschat.Tests.Infrastructure;

/// <summary>Verified login as a site's backend provides it: a node setting and the HS256 tokens it accepts.</summary>
public static class SiteLogins
{
    private static readonly string s_signingKey = "site-logins-signing-key-" + new string('k', 32);

    public static string Setting => $"Wschat:Login:SigningKey={s_signingKey}";

    /// <summary>A <c>login</c> payload with a token for <paramref name="loginId"/>, valid for ten minutes.</summary>
    public static object Request(string loginId) => new
    {
        uname = "用户" + loginId,
        avatar = "",
        loginid = loginId,
        info = "",
        token = new JsonWebTokenHandler().CreateToken(new SecurityTokenDescriptor
        {
            SigningCredentials = new SigningCredentials(new SymmetricSecurityKey(Encoding.UTF8.GetBytes(s_signingKey)), SecurityAlgorithms.HmacSha256),
            Claims = new Dictionary<string, object> { ["uname"] = "用户" + loginId, ["loginid"] = loginId },
            Expires = DateTime.UtcNow.AddMinutes(10),
        }),
    };
}
