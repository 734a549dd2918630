using System.Net;
using System.Net.WebSockets;
using System.Text.Json;
using Wschat.Tests.Infrastructure;

namespace Wschat.Tests.Hosting;

/// <summary>Which WebSockets a node admits (allowed origins, a connection limit), and its health endpoints.</summary>
public sealed class AdmissionTests
{
    [Theory]
    [InlineData("/")]
    [InlineData("/hub")]
    public async Task A_WebSocket_from_an_origin_not_on_the_allowed_list_is_refused_with_403(string path)
    {
        await using var node = await HubNode.StartAsync(settings: "Wschat:Limits:AllowedOrigins:0=https://ok.example");

        Assert.Equal(HttpStatusCode.Forbidden, await RefusalAsync(new Uri(node.BaseUri, path), "https://evil.example"));
    }

    [Theory]
    [InlineData("https://ok.example")]
    [InlineData("HTTPS://OK.EXAMPLE")]
    [InlineData(null)]
    public async Task A_WebSocket_from_an_allowed_origin_or_from_no_browser_at_all_connects(string? origin)
    {
        await using var node = await HubNode.StartAsync(settings: "Wschat:Limits:AllowedOrigins:0=https://ok.example");

        await using var client = await RawClient.ConnectAsync(node.RawUri, o => SetOrigin(o, origin));

        Assert.True(client.Uid > 0);
    }

    [Fact]
    public async Task Past_the_connection_limit_a_WebSocket_is_refused_with_503_until_one_closes()
    {
        await using var node = await HubNode.StartAsync(settings: "Wschat:Limits:MaxConnections=2");
        await using var first = await RawClient.ConnectAsync(node.RawUri);
        var second = await RawClient.ConnectAsync(node.RawUri);

        Assert.Equal(HttpStatusCode.ServiceUnavailable, await RefusalAsync(node.RawUri));

        await second.DisposeAsync();
        // The server frees the slot when it has seen the close: retry, bounded in time.
        await using var third = await Eventually.GetAsync(() => RawClient.ConnectAsync(node.RawUri)!, RawClient.Timeout, "a connection slot freed by a close");
        Assert.True(third.Uid > 0);
    }

    [Fact]
    public async Task Healthz_answers_200_Healthy_and_readyz_ready()
    {
        await using var node = await HubNode.StartAsync();
        using var http = new HttpClient { Timeout = RawClient.Timeout };

        using var health = await http.GetAsync(new Uri(node.BaseUri, "/healthz"));
        using var report = JsonDocument.Parse(await health.Content.ReadAsStringAsync());

        Assert.Equal(HttpStatusCode.OK, health.StatusCode);
        Assert.Equal("Healthy", report.RootElement.GetProperty("status").GetString());
        Assert.Equal("ready\n", await http.GetStringAsync(new Uri(node.BaseUri, "/readyz")));
    }

    /// <summary>Opens a WebSocket that the node must refuse; the HTTP status it refused with.</summary>
    private static async Task<HttpStatusCode> RefusalAsync(Uri uri, string? origin = null)
    {
        using var socket = new ClientWebSocket();
        socket.Options.CollectHttpResponseDetails = true;
        SetOrigin(socket.Options, origin);
        using var timeout = new CancellationTokenSource(RawClient.Timeout);

        await Assert.ThrowsAsync<WebSocketException>(() => socket.ConnectAsync(new UriBuilder(uri) { Scheme = "ws" }.Uri, timeout.Token));
        return socket.HttpStatusCode;
    }

    private static void SetOrigin(ClientWebSocketOptions options, string? origin)
    {
        if (origin is not null)
        {
            options.SetRequestHeader("Origin", origin);
        }
    }
}
