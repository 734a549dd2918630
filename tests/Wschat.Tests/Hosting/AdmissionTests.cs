using System.Net.WebSockets;
using Wschat.Tests.Infrastructure;

namespace Wschat.Tests.Hosting;

public sealed class AdmissionTests
{
    [Fact]
    public async Task Only_allowed_origins_may_open_a_WebSocket()
    {
        await using var node = await HubNode.StartAsync(settings: "Wschat:Limits:AllowedOrigins:0=https://ok.example");

        await Assert.ThrowsAsync<WebSocketException>(() => RawClient.ConnectAsync(node.RawUri, o => o.SetRequestHeader("Origin", "https://evil.example")));
        await using var allowed = await RawClient.ConnectAsync(node.RawUri, o => o.SetRequestHeader("Origin", "https://ok.example"));
        Assert.True(allowed.Uid > 0);
    }

    [Fact]
    public async Task Past_the_connection_limit_a_WebSocket_is_refused_until_one_closes()
    {
        await using var node = await HubNode.StartAsync(settings: "Wschat:Limits:MaxConnections=2");
        await using var first = await RawClient.ConnectAsync(node.RawUri);
        var second = await RawClient.ConnectAsync(node.RawUri);

        await Assert.ThrowsAsync<WebSocketException>(() => RawClient.ConnectAsync(node.RawUri));

        await second.DisposeAsync();
        await using var third = await Eventually.GetAsync(
            () => RawClient.ConnectAsync(node.RawUri)!,
            TimeSpan.FromSeconds(10),
            "a connection slot freed by a close");
        Assert.True(third.Uid > 0);
    }

    [Fact]
    public async Task Healthz_answers_healthy_and_readyz_ready()
    {
        await using var node = await HubNode.StartAsync();
        using var http = new HttpClient();

        Assert.Contains("\"status\":\"Healthy\"", await http.GetStringAsync(new Uri(node.BaseUri, "/healthz")), StringComparison.Ordinal);
        Assert.Equal("ready\n", await http.GetStringAsync(new Uri(node.BaseUri, "/readyz")));
    }
}
