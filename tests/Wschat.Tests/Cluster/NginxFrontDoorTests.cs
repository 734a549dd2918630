using System.Net;
using Wschat.Tests.Infrastructure;

namespace Wschat.Tests.Cluster;

/// <summary>The shipped nginx config, run by Debian's real nginx in front of two nodes, with a test certificate.</summary>
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
        await using var rawViaNginx = await RawClient.ConnectAsync(nginx.RawUri, o =>
        {
            o.SetRequestHeader("X-Forwarded-For", "203.0.113.9");
            o.RemoteCertificateValidationCallback = nginx.Certificate.Validation;
        });
        Assert.Equal("127.0.0.1", rawViaNginx.Ip);
        await using var signalRViaNginx = await SignalRClient.ConnectAsync(nginx.HubUri, HubProtocolKind.Json, configure: nginx.Certificate.Trust);
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
        using var http = new HttpClient(nginx.Certificate.Handler());
        Assert.Equal(System.Net.HttpStatusCode.NotFound, (await http.GetAsync(new Uri(nginx.BaseUri, "/metrics"))).StatusCode);
        Assert.Equal(System.Net.HttpStatusCode.OK, (await http.GetAsync(new Uri(nodeA.BaseUri, "/metrics"))).StatusCode);

        async Task AssertEveryoneGetsAsync(string text)
        {
            Assert.Equal(text, (await rawOnB.ReceiveSkippingAsync("danmu")).GetProperty("text").GetString());
            Assert.Equal(text, (await rawViaNginx.ReceiveSkippingAsync("danmu")).GetProperty("text").GetString());
            Assert.Equal(text, (await signalRViaNginx.ReceiveSkippingAsync("danmu")).GetProperty("text").GetString());
        }
    }

    [Fact]
    public async Task Metrics_are_not_served_through_nginx_however_the_path_is_spelled()
    {
        await using var node = await HubNode.StartAsync();
        await using var nginx = await NginxProxy.StartAsync(node.BaseUri, node.BaseUri);
        using var https = new HttpClient(nginx.Certificate.Handler()) { Timeout = RawClient.Timeout };

        // Routing matches the path without case and with a trailing slash: every spelling reaches the node's metrics.
        foreach (var path in new[] { "/metrics", "/METRICS", "/Metrics", "/metrics/", "/MeTrIcS/", "/metrics?name=x" })
        {
            Assert.Equal(HttpStatusCode.OK, (await https.GetAsync(new Uri(node.BaseUri, path))).StatusCode);
            Assert.Equal(HttpStatusCode.NotFound, (await https.GetAsync(new Uri(nginx.BaseUri, path))).StatusCode);
        }

        Assert.Equal(HttpStatusCode.OK, (await https.GetAsync(new Uri(nginx.BaseUri, "/healthz"))).StatusCode);
    }

    [Fact]
    public async Task Plain_HTTP_is_redirected_to_HTTPS_and_the_access_log_has_the_paths_but_no_query_strings()
    {
        const string Secret = "t0ken-in-the-query";
        await using var node = await HubNode.StartAsync(settings: [$"Wschat:AdminTokens:0={Secret}"]);
        await using var nginx = await NginxProxy.StartAsync(node.BaseUri, node.BaseUri);
        using var plain = new HttpClient(new HttpClientHandler { AllowAutoRedirect = false }) { Timeout = RawClient.Timeout };
        using var https = new HttpClient(nginx.Certificate.Handler()) { Timeout = RawClient.Timeout };

        var redirect = await plain.GetAsync(new Uri(nginx.PlainUri, $"/healthz?access_token={Secret}"));
        Assert.Equal(HttpStatusCode.MovedPermanently, redirect.StatusCode);
        Assert.Equal("https", redirect.Headers.Location!.Scheme);
        await using (await RawClient.ConnectAsync(new Uri(nginx.RawUri, $"?access_token={Secret}"), o => o.RemoteCertificateValidationCallback = nginx.Certificate.Validation))
        {
        }

        (await https.PostAsync(new Uri(nginx.BaseUri, $"/drain?access_token={Secret}&undo"), null)).EnsureSuccessStatusCode();

        // nginx logs a request when it ends: the WebSocket's line comes once the socket has closed.
        var log = await Eventually.GetAsync(
            async () => File.Exists(nginx.AccessLogPath) && await File.ReadAllTextAsync(nginx.AccessLogPath) is { } text
                && text.Contains("\"GET / HTTP/1.1\" 101", StringComparison.Ordinal) && text.Contains("POST /drain", StringComparison.Ordinal) ? text : null,
            RawClient.Timeout,
            "the requests in nginx's access log");
        Assert.Contains("\"GET /healthz HTTP/1.1\" 301", log, StringComparison.Ordinal);
        Assert.DoesNotContain(Secret, log, StringComparison.Ordinal);
        Assert.DoesNotContain("?", log, StringComparison.Ordinal);
    }
}
