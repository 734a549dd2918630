using Wschat.Contracts;
using Wschat.Tests.Infrastructure;

namespace Wschat.Tests.Hosting;

/// <summary>setbadwords is an admin command; the list is applied to chat and kept across restarts.</summary>
public sealed class AdminTests
{
    private const string Token = "s3cret";
    private const string Room = "admin-room";

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task An_admin_by_query_token_or_bearer_header_sets_the_list_and_another_clients_danmu_arrives_filtered(bool bearer)
    {
        await using var node = await StartAsync();
        await using var admin = bearer
            ? await RawClient.ConnectAsync(node.RawUri, o => o.SetRequestHeader("Authorization", $"Bearer {Token}"))
            : await ConnectAdminAsync(node);
        await using var sender = await RawClient.ConnectAsync(node.RawUri);
        await using var watcher = await RawClient.ConnectAsync(node.RawUri);

        await SetWordsAsync(admin, "setbadwords:\r\n禁词=好词\r\n");

        await JoinBothAsync(watcher, sender);
        Assert.Equal("这是好词", await DanmuSeenAsync(sender, "这是禁词", watcher));
    }

    [Fact]
    public async Task Text_sendto_and_login_profiles_are_filtered_as_well()
    {
        await using var listed = await ListedAsync("setbadwords:\r\n禁词=好词\r\n删除=\r\n");
        await using var user = await RawClient.ConnectAsync(listed.Node.RawUri);
        await using var watcher = await RawClient.ConnectAsync(listed.Node.RawUri);
        await JoinBothAsync(watcher, user);

        await user.SendAsync("text", new { text = "禁词要删除" });
        Assert.Equal("好词要", (await watcher.ReceiveAsync("text")).GetProperty("text").GetString());
        await user.SendAsync("sendto", new { text = "私下说禁词", touids = watcher.UidText });
        Assert.Equal("私下说好词", (await watcher.ReceiveAsync("sendto")).GetProperty("text").GetString());
        await user.SendAsync("login", new { uname = "禁词君", avatar = "", loginid = "x", info = "我爱禁词" });
        var login = await watcher.ReceiveAsync("event");
        Assert.Equal("好词君", login.GetProperty("username").GetString());
        Assert.Equal("我爱好词", login.GetProperty("userinfo").GetString());
    }

    [Theory]
    [InlineData("setbadwords:\nab=X\nabc=Y\n😀=Z\n")]
    [InlineData("setbadwords:\nab=X\nabc=Y\n😀=Z")]
    [InlineData("setbadwords:\r\n😀=Z\r\nabc=Y\r\nab=X\r\n")]
    public async Task Matching_is_leftmost_longest_and_replaces_whole_emoji(string command)
    {
        await using var listed = await ListedAsync(command);
        await listed.Admin.JoinAsync(Room);

        Assert.Equal("YdZZ", await DanmuSeenAsync(listed.Admin, "abcd😀😀"));
        Assert.Equal("Xa\ud83d\ude01", await DanmuSeenAsync(listed.Admin, "aba\ud83d\ude01"));
    }

    [Theory]
    [InlineData("")]
    [InlineData("?access_token=wrong")]
    [InlineData("?access_token=S3CRET")]
    public async Task Without_the_admin_token_setbadwords_is_refused_with_4003_and_the_list_stays(string query)
    {
        await using var listed = await ListedAsync("setbadwords:\r\n旧词=旧替换\r\n");
        await using var intruder = await RawClient.ConnectAsync(new Uri(listed.Node.RawUri, query));

        await intruder.SendTextAsync("setbadwords:\r\n旧词=被篡改\r\n");

        Assert.Equal(ErrorCodes.Forbidden, (await intruder.ReceiveAsync("error")).GetProperty("code").GetInt32());
        await intruder.JoinAsync(Room);
        Assert.Equal("旧替换", await DanmuSeenAsync(intruder, "旧词"));
    }

    [Fact]
    public async Task A_refused_setbadwords_is_logged_once_per_connection_however_often_it_is_tried()
    {
        await using var node = await HubProcess.StartAsync($"Wschat:AdminTokens:0={Token}");
        await using var intruder = await RawClient.ConnectAsync(node.RawUri);
        await using var another = await RawClient.ConnectAsync(node.RawUri);

        for (var attempt = 0; attempt < 5; attempt++)
        {
            await intruder.SendTextAsync("setbadwords:\r\n旧词=被篡改\r\n");
            Assert.Equal(ErrorCodes.Forbidden, (await intruder.ReceiveAsync("error")).GetProperty("code").GetInt32());
        }

        await another.SendTextAsync("setbadwords:\r\n旧词=被篡改\r\n");
        await another.ReceiveAsync("error");

        // The log is written in order: once the second connection's warning is out, all of the first's are.
        var output = await Eventually.GetAsync(
            () => Task.FromResult(node.Output.Contains(Warning(another), StringComparison.Ordinal) ? node.Output : null),
            RawClient.Timeout,
            "the second connection's warning");
        Assert.Single(output.Split('\n'), line => line.Contains(Warning(intruder), StringComparison.Ordinal));

        static string Warning(RawClient client) => $"Uid {client.Uid} tried an admin command";
    }

    [Fact]
    public async Task A_SignalR_client_with_the_token_as_bearer_is_an_admin_and_invalid_rules_get_4005_and_keep_the_old_list()
    {
        await using var node = await StartAsync();
        await using var admin = await SignalRClient.ConnectAsync(node.HubUri, HubProtocolKind.Json, accessToken: Token);
        await admin.SendAsync("setbadwords", "坏=好\r\n");
        await admin.AssertNothingPendingAsync();

        await admin.SendAsync("setbadwords", "没有等号的行\r\n");

        Assert.Equal(ErrorCodes.InvalidRules, (await admin.ReceiveAsync("error")).GetProperty("code").GetInt32());
        await admin.JoinAsync(Room);
        Assert.Equal("好", await DanmuSeenAsync(admin, "坏"));
    }

    [Fact]
    public async Task The_list_survives_a_restart_of_the_node()
    {
        var data = TempDirectory.Create();
        var first = await ListedAsync("setbadwords:\r\n持久=已保存\r\n", data);
        await first.DisposeAsync();

        await using var restarted = await StartAsync(data);
        await using var client = await RawClient.ConnectAsync(restarted.RawUri);
        await client.JoinAsync(Room);
        Assert.Equal("已保存", await DanmuSeenAsync(client, "持久"));
    }

    private static Task<HubNode> StartAsync(string? data = null) => HubNode.StartAsync(data, settings: $"Wschat:AdminTokens:0={Token}");

    private static Task<RawClient> ConnectAdminAsync(HubNode node) => RawClient.ConnectAsync(new Uri(node.RawUri, $"?access_token={Token}"));

    /// <summary>A node whose list an admin (still connected) has just set.</summary>
    private static async Task<Listed> ListedAsync(string command, string? data = null)
    {
        var node = await StartAsync(data);
        var admin = await ConnectAdminAsync(node);
        await SetWordsAsync(admin, command);
        return new Listed(node, admin);
    }

    /// <summary>Sends the command text and waits until the hub has handled it without an error.</summary>
    private static async Task SetWordsAsync(RawClient admin, string command)
    {
        await admin.SendTextAsync(command);
        await admin.AssertNothingPendingAsync();
    }

    /// <summary>Both join; the watcher has seen the other arrive.</summary>
    private static async Task JoinBothAsync(RawClient watcher, RawClient other)
    {
        await watcher.JoinAsync(Room);
        await other.JoinAsync(Room);
        await watcher.ReceiveAsync("event");
    }

    /// <summary>The text of <paramref name="sender"/>'s danmu as <paramref name="receiver"/> (the sender by default) gets it.</summary>
    private static async Task<string?> DanmuSeenAsync(IChatClient sender, string text, IChatClient? receiver = null)
    {
        await sender.SendAsync("danmu", new { text });
        return (await (receiver ?? sender).ReceiveAsync("danmu")).GetProperty("text").GetString();
    }

    private sealed record Listed(HubNode Node, RawClient Admin) : IAsyncDisposable
    {
        public async ValueTask DisposeAsync()
        {
            await Admin.DisposeAsync();
            await Node.DisposeAsync();
        }
    }
}
