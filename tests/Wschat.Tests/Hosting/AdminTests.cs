using Wschat.Contracts;
using Wschat.Tests.Infrastructure;

namespace Wschat.Tests.Hosting;

/// <summary>setbadwords is an admin command; the list is applied to chat and kept across restarts.</summary>
public sealed class AdminTests
{
    private const string Token = "s3cret-admin";

    [Fact]
    public async Task An_admin_raw_client_sets_the_list_and_it_filters_danmu_text_sendto_and_login()
    {
        await using var node = await HubNode.StartAsync(settings: $"Wschat:AdminTokens:0={Token}");
        await using var admin = await RawClient.ConnectAsync(new Uri(node.RawUri, $"?access_token={Token}"));
        await using var user = await RawClient.ConnectAsync(node.RawUri);
        await using var watcher = await RawClient.ConnectAsync(node.RawUri);

        await admin.SendTextAsync("setbadwords:\r\n禁词=好词\r\nab=X\r\nabc=Y\r\n😀=Z\r\n删除=\r\n");
        await admin.AssertNothingPendingAsync();

        await watcher.JoinAsync("admin-room");
        await user.JoinAsync("admin-room");
        await watcher.ReceiveAsync("event");
        await user.SendAsync("danmu", new { text = "这是禁词abcd😀😀要删除" });
        Assert.Equal("这是好词YdZZ要", (await watcher.ReceiveAsync("danmu")).GetProperty("text").GetString());
        await user.SendAsync("text", new { text = "禁词" });
        Assert.Equal("好词", (await watcher.ReceiveAsync("text")).GetProperty("text").GetString());
        await user.SendAsync("sendto", new { text = "私下说禁词", touids = watcher.UidText });
        Assert.Equal("私下说好词", (await watcher.ReceiveAsync("sendto")).GetProperty("text").GetString());
        await user.SendAsync("login", new { uname = "禁词君", avatar = "", loginid = "x", info = "我爱禁词" });
        var login = await watcher.ReceiveAsync("event");
        Assert.Equal("好词君", login.GetProperty("username").GetString());
        Assert.Equal("我爱好词", login.GetProperty("userinfo").GetString());
    }

    [Theory]
    [InlineData("")]
    [InlineData("?access_token=wrong")]
    public async Task Without_the_admin_token_setbadwords_is_refused_and_the_list_stays(string query)
    {
        await using var node = await HubNode.StartAsync(settings: $"Wschat:AdminTokens:0={Token}");
        await using var admin = await RawClient.ConnectAsync(new Uri(node.RawUri, $"?access_token={Token}"));
        await admin.SendTextAsync("setbadwords:\r\n旧词=旧替换\r\n");
        await admin.AssertNothingPendingAsync();
        await using var intruder = await RawClient.ConnectAsync(new Uri(node.RawUri, query));

        await intruder.SendTextAsync("setbadwords:\r\n旧词=被篡改\r\n");

        Assert.Equal(ErrorCodes.Forbidden, (await intruder.ReceiveAsync("error")).GetProperty("code").GetInt32());
        await intruder.JoinAsync("r");
        await intruder.SendAsync("danmu", new { text = "旧词" });
        Assert.Equal("旧替换", (await intruder.ReceiveAsync("danmu")).GetProperty("text").GetString());
    }

    [Fact]
    public async Task A_SignalR_client_with_the_token_is_an_admin_and_a_malformed_list_keeps_the_old_one()
    {
        await using var node = await HubNode.StartAsync(settings: $"Wschat:AdminTokens:0={Token}");
        await using var admin = await SignalRClient.ConnectAsync(node.HubUri, HubProtocolKind.Json, accessToken: Token);
        await admin.SendAsync("setbadwords", "坏=好\r\n");
        await admin.AssertNothingPendingAsync();

        await admin.SendAsync("setbadwords", "没有等号的行\r\n");

        Assert.Equal(ErrorCodes.InvalidRules, (await admin.ReceiveAsync("error")).GetProperty("code").GetInt32());
        await admin.JoinAsync("r");
        await admin.SendAsync("danmu", new { text = "坏" });
        Assert.Equal("好", (await admin.ReceiveAsync("danmu")).GetProperty("text").GetString());
    }

    [Fact]
    public async Task The_list_survives_a_restart_of_the_node()
    {
        var data = TempDirectory.Create();
        await using (var node = await HubNode.StartAsync(data, settings: $"Wschat:AdminTokens:0={Token}"))
        {
            await using var admin = await RawClient.ConnectAsync(new Uri(node.RawUri, $"?access_token={Token}"));
            await admin.SendTextAsync("setbadwords:\r\n持久=已保存\r\n");
            await admin.AssertNothingPendingAsync();
        }

        await using var restarted = await HubNode.StartAsync(data);
        await using var client = await RawClient.ConnectAsync(restarted.RawUri);
        await client.JoinAsync("r");
        await client.SendAsync("danmu", new { text = "持久" });
        Assert.Equal("已保存", (await client.ReceiveAsync("danmu")).GetProperty("text").GetString());
    }
}
