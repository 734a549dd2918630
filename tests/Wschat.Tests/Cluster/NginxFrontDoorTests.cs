using Wschat.Tests.Infrastructure;

namespace Wschat.Tests.Cluster;

/// <summary>The shipped nginx config, run by Debian's real nginx in front of two nodes.</summary>
public sealed class NginxFrontDoorTests
{
    [Fact]
    public async Task Nginx_in_front_of_two_nodes_carries_raw_and_SignalR_clients_into_one_room()
    {
        const string Room = "front-door";
        await using var redis = await RedisServer.StartAsync();
        string[] settings = [$"Wschat:Redis={redis.Configuration}", "Wschat:TrustedProxies:0=127.0.0.1"];
        await using var nodeA = await HubNode.StartAsync(settings: settings);
        await using var nodeB = await HubNode.StartAsync(settings: settings);
        await using var nginx = await NginxProxy.StartAsync(nodeA.BaseUri, nodeB.BaseUri);

        // A client behind nginx that tries to spoof its address is seen at nginx's view of it.
        await using var rawViaNginx = await RawClient.ConnectAsync(nginx.RawUri, o => o.SetRequestHeader("X-Forwarded-For", "203.0.113.9"));
        Assert.Equal("127.0.0.1", rawViaNginx.Ip);
        await using var signalRViaNginx = await SignalRClient.ConnectAsync(nginx.HubUri, HubProtocolKind.Json);
        await using var rawOnB = await RawClient.ConnectAsync(nodeB.RawUri);

        await rawViaNginx.SendAsync(new { type = "join", room = Room });
        await signalRViaNginx.InvokeAsync("join", new { room = Room });
        await rawOnB.SendAsync(new { type = "join", room = Room });
        Assert.Equal(3, (await rawOnB.ReceiveSkippingAsync("event", e => e.GetProperty("uid").GetInt64() == rawOnB.Uid)).GetProperty("userscount").GetInt32());

        // One sender at a time: messages from different senders may cross on the way.
        await rawViaNginx.SendAsync(new { type = "danmu", text = "经过nginx" });
        await AssertEveryoneGetsAsync("经过nginx");
        await signalRViaNginx.InvokeAsync("danmu", new { text = "SignalR经过nginx" });
        await AssertEveryoneGetsAsync("SignalR经过nginx");

        // Metrics are scraped from each node, never through the public front door.
        using var http = new HttpClient();
        Assert.Equal(System.Net.HttpStatusCode.NotFound, (await http.GetAsync(new Uri(nginx.BaseUri, "/metrics"))).StatusCode);
        Assert.Equal(System.Net.HttpStatusCode.OK, (await http.GetAsync(new Uri(nodeA.BaseUri, "/metrics"))).StatusCode);

        async Task AssertEveryoneGetsAsync(string text)
        {
            Assert.Equal(text, (await rawOnB.ReceiveSkippingAsync("danmu")).GetProperty("text").GetString());
            Assert.Equal(text, (await rawViaNginx.ReceiveSkippingAsync("danmu")).GetProperty("text").GetString());
            Assert.Equal(text, (await signalRViaNginx.ReceiveSkippingAsync("danmu")).GetProperty("text").GetString());
        }
    }
}
