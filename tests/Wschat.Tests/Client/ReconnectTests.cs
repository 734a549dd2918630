using System.Diagnostics;
using System.Globalization;
using Wschat.Client;
using Wschat.Contracts;
using Wschat.Tests.Infrastructure;
using Xunit.Abstractions;
using static Wschat.Tests.Client.WschatClientTests;

namespace Wschat.Tests.Client;

/// <summary>A dropped connection comes back by itself, with the room and the login it had.</summary>
public sealed class ReconnectTests(ITestOutputHelper output)
{
    public static TheoryData<WschatTransportKind> Transports => WschatClientTests.Transports;

    [Theory]
    [MemberData(nameof(Transports))]
    public async Task After_a_server_restart_the_client_reconnects_and_restores_room_and_login(WschatTransportKind transport)
    {
        var urls = $"http://127.0.0.1:{FreePort.Next().ToString(CultureInfo.InvariantCulture)}";
        var node = await HubNode.StartAsync(urls: urls);
        await using var client = ClientFor(node, transport);
        await client.ConnectAsync();
        await client.LoginAsync(new LoginRequest { Uname = "不死鸟" });
        await client.JoinAsync("phoenix");
        var inbox = Inbox.Of(client);
        var firstUid = client.Uid;

        await node.DisposeAsync();
        Assert.Equal(WschatConnectionState.Reconnecting, await inbox.States.Reader.ReadAsync(Timeout()));
        var restarted = Stopwatch.StartNew();
        await using var newNode = await HubNode.StartAsync(urls: urls);
        Assert.Equal(WschatConnectionState.Connected, await inbox.States.Reader.ReadAsync(Timeout()));
        output.WriteLine($"{transport}: connected again {restarted.ElapsedMilliseconds} ms after the server came back");

        await using var watcher = ClientFor(newNode, WschatTransportKind.Raw);
        var seen = Inbox.Of(watcher);
        await watcher.ConnectAsync();
        var room = await watcher.JoinAsync("phoenix");
        Assert.Equal((2, 1), (room.UsersCount, room.LoginedCount));
        Assert.NotEqual(firstUid, client.Uid);
        Assert.Equal("phoenix", client.Room);
        await client.SendDanmuAsync("我回来了");
        var danmu = await seen.Danmu.Reader.ReadAsync(Timeout());
        Assert.Equal(("我回来了", "不死鸟"), (danmu.Text, danmu.Username));
    }

    [Theory]
    [InlineData(WschatTransportKind.Raw)]
    [InlineData(WschatTransportKind.SignalRMessagePack)]
    public async Task After_its_node_is_killed_the_client_reconnects_through_the_load_balancer_to_the_survivor(WschatTransportKind transport)
    {
        await using var redis = await RedisServer.StartAsync();
        await using var nodeA = await HubProcess.StartAsync($"Wschat:Redis={redis.Configuration}", "Wschat:ServerName=node-a");
        await using var nodeB = await HubProcess.StartAsync($"Wschat:Redis={redis.Configuration}", "Wschat:ServerName=node-b");
        await using var nginx = await NginxProxy.StartAsync(nodeA.BaseUri, nodeB.BaseUri, tls: false);
        await using var client = ClientFor(transport == WschatTransportKind.Raw ? nginx.RawUri : nginx.HubUri, transport);
        await client.ConnectAsync();
        await client.LoginAsync(new LoginRequest { Uname = "漂流者" });
        await client.JoinAsync("drift");
        var inbox = Inbox.Of(client);
        var (doomed, survivor) = (await client.HelloAsync()).Server == "node-a" ? (nodeA, nodeB) : (nodeB, nodeA);
        await using var watcher = ClientFor(survivor.RawUri, WschatTransportKind.Raw);
        var seen = Inbox.Of(watcher);
        await watcher.ConnectAsync();
        await watcher.JoinAsync("drift");

        var killed = Stopwatch.StartNew();
        await doomed.KillAsync();

        Assert.Equal(WschatConnectionState.Reconnecting, await inbox.States.Reader.ReadAsync(Timeout()));
        Assert.Equal(WschatConnectionState.Connected, await inbox.States.Reader.ReadAsync(Timeout()));
        output.WriteLine($"{transport}: connected to the survivor {killed.ElapsedMilliseconds} ms after SIGKILL");
        var rejoined = await seen.NextEventAsync(e => e.Event == RoomEventNames.JoinRoom && e.Uid == client.Uid);
        Assert.True(rejoined.LoginedCount >= 1);
        await client.SendDanmuAsync("换了节点");
        var danmu = await seen.Danmu.Reader.ReadAsync(Timeout());
        Assert.Equal(("换了节点", "漂流者"), (danmu.Text, danmu.Username));
    }
}
