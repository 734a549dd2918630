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
        foreach (var refusal in s_refusals.Keys)
        {
            data.Add(refusal, ClientKind.Raw);
            data.Add(refusal, ClientKind.Json);
        }

        return data;
    }

    /// <summary>What is wrong with each refused token: a change to a valid one.</summary>
    private static readonly Dictionary<string, Action<SecurityTokenDescriptor>> s_refusals = new()
    {
        ["forged"] = static t => t.SigningCredentials = Hmac("another-secret-" + s_secret),
        ["expired"] = static t => (t.IssuedAt, t.NotBefore, t.Expires) = (DateTime.UtcNow.AddMinutes(-15), DateTime.UtcNow.AddMinutes(-15), DateTime.UtcNow.AddMinutes(-5)),
        ["no-expiry"] = static t => t.Expires = null,
        ["longer-than-a-day"] = static t => t.Expires = DateTime.UtcNow.AddDays(2),
        ["issuer"] = static t => t.Issuer = "https://elsewhere.example",
        ["audience"] = static t => t.Audience = "another-service",
        ["no-audience"] = static t => t.Audience = null,
        ["unsigned"] = static t => t.SigningCredentials = null,
        ["no-uname"] = static t => t.Claims = new Dictionary<string, object> { ["avatar"] = s_claims.Avatar },
        ["missing"] = static _ => { },
    };

    [Theory]
    [MemberData(nameof(Kinds))]
    public async Task A_valid_HMAC_token_logs_in_with_the_tokens_claims_not_the_sent_fields(ClientKind kind)
    {
        await using var node = await StartHmacNodeAsync();

        await AssertLogsInWithClaimsAsync(node, kind, Token(Hmac(s_secret)));
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
        var token = Token(privateKey is RSA rsa
            ? new SigningCredentials(new RsaSecurityKey(rsa), SecurityAlgorithms.RsaSha256)
            : new SigningCredentials(new ECDsaSecurityKey((ECDsa)privateKey), SecurityAlgorithms.EcdsaSha256));

        await AssertLogsInWithClaimsAsync(node, kind, token);
    }

    [Theory]
    [MemberData(nameof(Refusals))]
    public async Task A_bad_or_missing_token_is_refused_with_4040_and_changes_nothing(string refusal, ClientKind kind)
    {
        await using var node = await StartHmacNodeAsync();
        var token = refusal == "missing" ? null : Token(Hmac(s_secret), s_refusals[refusal]);
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

        var token = Token(Hmac(s_secret));
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

    [Fact]
    public async Task A_token_valid_for_longer_than_MaxTokenLifetimeSeconds_from_now_is_refused()
    {
        await using var node = await StartHmacNodeAsync("Wschat:Login:MaxTokenLifetimeSeconds=600");
        await using var user = await RawClient.ConnectAsync(node.RawUri);

        await user.SendAsync("login", new { uname = "", token = Token(Hmac(s_secret), static t => t.Expires = DateTime.UtcNow.AddMinutes(20)) });
        var refusal = await user.ReceiveAsync("error");
        Assert.Equal(ErrorCodes.LoginRefused, refusal.GetProperty("code").GetInt32());
        Assert.Contains("longer", refusal.GetProperty("msg").GetString(), StringComparison.Ordinal);

        await user.SendAsync("login", new { uname = "", token = Token(Hmac(s_secret), static t => t.Expires = DateTime.UtcNow.AddMinutes(9)) });
        WireAssert.Success(await user.ReceiveAsync("login"), "login");
    }

    [Theory]
    [InlineData("Wschat:Login:Issuer=" + Issuer)]
    [InlineData("Wschat:Login:Audience=" + Audience)]
    public async Task An_issuer_or_audience_without_a_key_does_not_start_the_node_instead_of_leaving_logins_unverified(string setting)
    {
        var failure = await Assert.ThrowsAnyAsync<Exception>(() => HubNode.StartAsync(settings: setting));

        Assert.Contains(setting[..setting.IndexOf('=', StringComparison.Ordinal)], failure.Message, StringComparison.Ordinal);
        Assert.Contains("Wschat:Login:SigningKey", failure.Message, StringComparison.Ordinal);
        Assert.Contains("Wschat:Login:PublicKeyFile", failure.Message, StringComparison.Ordinal);
    }

    private static Task<HubNode> StartHmacNodeAsync(params string[] settings) =>
        HubNode.StartAsync(settings: [$"Wschat:Login:SigningKey={s_secret}", $"Wschat:Login:Issuer={Issuer}", $"Wschat:Login:Audience={Audience}", .. settings]);

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

    private static SigningCredentials Hmac(string secret) => new(new SymmetricSecurityKey(Encoding.UTF8.GetBytes(secret)), SecurityAlgorithms.HmacSha256);

    /// <summary>A token the site's backend would sign: valid for 5 minutes, unless <paramref name="change"/> spoils it.</summary>
    private static string Token(SigningCredentials? credentials, Action<SecurityTokenDescriptor>? change = null)
    {
        var descriptor = new SecurityTokenDescriptor
        {
            SigningCredentials = credentials,
            Issuer = Issuer,
            Audience = Audience,
            Claims = ClaimsOf(s_claims),
            IssuedAt = DateTime.UtcNow.AddMinutes(-1),
            NotBefore = DateTime.UtcNow.AddMinutes(-1),
            Expires = DateTime.UtcNow.AddMinutes(5),
        };
        change?.Invoke(descriptor);

        // Only the times set above: the handler would otherwise add an exp to a token meant to have none.
        return new JsonWebTokenHandler { SetDefaultTimesOnTokenCreation = false }.CreateToken(descriptor);
    }
}
