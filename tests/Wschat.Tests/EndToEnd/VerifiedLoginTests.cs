using System.Security.Cryptography;
using System.Text;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;
using Wschat.Contracts;
using Wschat.Tests.Infrastructure;

namespace Wschat.Tests.EndToEnd;

/// <summary>
/// <c>Wschat:Login</c>: with a key, a login carries a JWT from the site's backend and the profile is the
/// token's claims; a token that is missing, forged, expired or for another issuer or audience is refused
/// with 4040, and nothing else changes.
/// </summary>
public sealed class VerifiedLoginTests
{
    private const string Issuer = "https://site.example";
    private const string Audience = "wschat";
    private static readonly string s_secret = "site-backend-secret-" + new string('k', 32);
    private static readonly Profile s_claims = Profile.Of("已验证");

    public static TheoryData<ClientKind> Kinds => ChatClients.Kinds;

    public static TheoryData<string, ClientKind> Refusals()
    {
        var data = new TheoryData<string, ClientKind>();
        foreach (var refusal in new[] { "missing", "forged", "expired", "issuer", "audience", "unsigned", "no-uname" })
        {
            data.Add(refusal, ClientKind.Raw);
            data.Add(refusal, ClientKind.Json);
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(Kinds))]
    public async Task A_valid_HMAC_token_logs_in_with_the_tokens_claims_not_the_sent_fields(ClientKind kind)
    {
        await using var node = await StartHmacNodeAsync();
        var token = Token(new SymmetricSecurityKey(Encoding.UTF8.GetBytes(s_secret)), SecurityAlgorithms.HmacSha256);

        await AssertLogsInWithClaimsAsync(node, kind, token);
    }

    [Theory]
    [InlineData("rsa", ClientKind.Raw)]
    [InlineData("rsa", ClientKind.MessagePack)]
    [InlineData("ecdsa", ClientKind.Raw)]
    [InlineData("ecdsa", ClientKind.Json)]
    public async Task A_valid_token_signed_with_an_RSA_or_ECDSA_key_logs_in(string keyType, ClientKind kind)
    {
        using AsymmetricAlgorithm privateKey = keyType == "rsa" ? RSA.Create(2048) : ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var pemFile = Path.Combine(TempDirectory.Create(), "login-key.pem");
        await File.WriteAllTextAsync(pemFile, privateKey.ExportSubjectPublicKeyInfoPem());
        await using var node = await HubNode.StartAsync(settings: [$"Wschat:Login:PublicKeyFile={pemFile}", $"Wschat:Login:Issuer={Issuer}", $"Wschat:Login:Audience={Audience}"]);
        var token = privateKey is RSA rsa
            ? Token(new RsaSecurityKey(rsa), SecurityAlgorithms.RsaSha256)
            : Token(new ECDsaSecurityKey((ECDsa)privateKey), SecurityAlgorithms.EcdsaSha256);

        await AssertLogsInWithClaimsAsync(node, kind, token);
    }

    [Theory]
    [MemberData(nameof(Refusals))]
    public async Task A_bad_or_missing_token_is_refused_with_4040_and_changes_nothing(string refusal, ClientKind kind)
    {
        await using var node = await StartHmacNodeAsync();
        var key = new SymmetricSecurityKey(Encoding.UTF8.GetBytes(s_secret));
        var token = refusal switch
        {
            "missing" => null,
            "forged" => Token(new SymmetricSecurityKey(Encoding.UTF8.GetBytes("another-secret-" + s_secret)), SecurityAlgorithms.HmacSha256),
            "expired" => Token(key, SecurityAlgorithms.HmacSha256, expires: DateTime.UtcNow.AddMinutes(-5)),
            "issuer" => Token(key, SecurityAlgorithms.HmacSha256, issuer: "https://elsewhere.example"),
            "audience" => Token(key, SecurityAlgorithms.HmacSha256, audience: "another-service"),
            "unsigned" => new JsonWebTokenHandler().CreateToken(Descriptor(null, Issuer, Audience, DateTime.UtcNow.AddMinutes(5), ClaimsOf(s_claims))),
            _ => Token(key, SecurityAlgorithms.HmacSha256, claims: new Dictionary<string, object> { ["avatar"] = s_claims.Avatar }),
        };
        var room = SingleNodeFixture.NewRoom();
        await using var watcher = await RawClient.ConnectAsync(node.RawUri);
        await using var user = await ChatClients.ConnectAsync(node, kind);
        await ChatClients.JoinAllAsync(room, watcher, user);

        await user.SendAsync("login", new { uname = "冒名", avatar = "", loginid = "admin", info = "", token });

        var error = await user.ReceiveAsync("error");
        Assert.Equal(ErrorCodes.LoginRefused, error.GetProperty("code").GetInt32());
        await watcher.AssertNothingPendingAsync();
        await user.SendAsync("danmu", new { text = "还是匿名" });
        WireAssert.Chat(await watcher.ReceiveAsync("danmu"), "danmu", "还是匿名", user);
        await watcher.SendAsync("userlist");
        Assert.Equal(0, (await watcher.ReceiveAsync("userlist")).GetProperty("count").GetInt32());
    }

    [Fact]
    public async Task The_SDK_sends_the_token_and_a_refusal_surfaces_as_its_code()
    {
        await using var node = await StartHmacNodeAsync();
        await using var client = new Wschat.Client.WschatClient(new Wschat.Client.WschatClientOptions { ServerUri = node.RawUri });
        await client.ConnectAsync();

        var refused = await Assert.ThrowsAsync<Wschat.Client.WschatException>(() => client.LoginAsync(new LoginRequest { Uname = "冒名" }));
        Assert.Equal(ErrorCodes.LoginRefused, refused.Code);

        var token = Token(new SymmetricSecurityKey(Encoding.UTF8.GetBytes(s_secret)), SecurityAlgorithms.HmacSha256);
        Assert.Equal("success", (await client.LoginAsync(new LoginRequest { Uname = "", Token = token })).Result);
    }

    [Fact]
    public async Task Without_a_key_a_login_is_taken_as_sent_and_a_token_is_ignored()
    {
        await using var node = await HubNode.StartAsync();
        var room = SingleNodeFixture.NewRoom();
        var sent = Profile.Of("未验证");
        await using var watcher = await RawClient.ConnectAsync(node.RawUri);
        await using var user = await RawClient.ConnectAsync(node.RawUri);
        await ChatClients.JoinAllAsync(room, watcher, user);

        await user.SendAsync("login", new { uname = sent.Uname, avatar = sent.Avatar, loginid = sent.LoginId, info = sent.Info, token = "not-even-a-jwt" });

        WireAssert.Success(await user.ReceiveAsync("login"), "login");
        WireAssert.Strings(await watcher.ReceiveAsync("event"), ("username", sent.Uname), ("avatar", sent.Avatar), ("userid", sent.LoginId));
    }

    [Theory]
    [InlineData("Wschat:Login:PublicKeyFile=/no/such/login-key.pem", "Wschat:Login:PublicKeyFile")]
    [InlineData("Wschat:Login:SigningKey=too-short", "Wschat:Login:SigningKey")]
    public async Task A_node_with_an_unusable_login_key_does_not_start_and_names_the_key(string setting, string key)
    {
        var failure = await Assert.ThrowsAnyAsync<Exception>(() => HubNode.StartAsync(settings: setting));

        Assert.Contains(key, failure.Message, StringComparison.Ordinal);
    }

    private static Task<HubNode> StartHmacNodeAsync() =>
        HubNode.StartAsync(settings: [$"Wschat:Login:SigningKey={s_secret}", $"Wschat:Login:Issuer={Issuer}", $"Wschat:Login:Audience={Audience}"]);

    private static async Task AssertLogsInWithClaimsAsync(HubNode node, ClientKind kind, string token)
    {
        var room = SingleNodeFixture.NewRoom();
        await using var watcher = await RawClient.ConnectAsync(node.RawUri);
        await using var user = await ChatClients.ConnectAsync(node, kind);
        await ChatClients.JoinAllAsync(room, watcher, user);

        await user.SendAsync("login", new { uname = "冒名", avatar = "https://img.example/fake.png", loginid = "admin", info = s_claims.Info, token });

        WireAssert.Success(await user.ReceiveAsync("login"), "login");
        var login = await watcher.ReceiveAsync("event");
        WireAssert.Event(login, "login", user.Uid, usersCount: 2, loginedCount: 1);
        WireAssert.Strings(login, ("username", s_claims.Uname), ("avatar", s_claims.Avatar), ("userid", s_claims.LoginId), ("userinfo", s_claims.Info));
    }

    private static Dictionary<string, object> ClaimsOf(Profile profile) => new()
    {
        ["uname"] = profile.Uname,
        ["avatar"] = profile.Avatar,
        ["loginid"] = profile.LoginId,
    };

    private static string Token(SecurityKey key, string algorithm, DateTime? expires = null, string issuer = Issuer, string audience = Audience, Dictionary<string, object>? claims = null) =>
        new JsonWebTokenHandler().CreateToken(Descriptor(new SigningCredentials(key, algorithm), issuer, audience, expires ?? DateTime.UtcNow.AddMinutes(5), claims ?? ClaimsOf(s_claims)));

    private static SecurityTokenDescriptor Descriptor(SigningCredentials? credentials, string issuer, string audience, DateTime expires, Dictionary<string, object> claims) => new()
    {
        SigningCredentials = credentials,
        Issuer = issuer,
        Audience = audience,
        Claims = claims,
        IssuedAt = expires.AddMinutes(-10),
        NotBefore = expires.AddMinutes(-10),
        Expires = expires,
    };
}
