using System.Diagnostics;
using System.Net;
using System.Net.WebSockets;
using System.Text.Json;
using Microsoft.AspNetCore.Http.Connections;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Wschat.Tests.Infrastructure;

namespace Wschat.Tests.Hosting;

/// <summary>
/// Which connections a node admits (allowed origins, a connection limit, a connection rate per
/// address) on every transport, and its health endpoints.
/// </summary>
public sealed class AdmissionTests
{
    /// <summary>The SignalR transports that are not WebSockets: many HTTP requests make one connection.</summary>
    public static TheoryData<HttpTransportType> HttpTransports => [HttpTransportType.ServerSentEvents, HttpTransportType.LongPolling];

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
    public async Task A_stopping_node_refuses_new_connections_on_every_transport_with_503()
    {
        await using var node = await HubNode.StartAsync();

        // Stopping begins (Kestrel still serves until the host goes on to stop it): clients that reconnect are sent away.
        node.Services.GetRequiredService<IHostApplicationLifetime>().StopApplication();

        Assert.Equal(HttpStatusCode.ServiceUnavailable, await RefusalAsync(node.RawUri));
        Assert.Equal(HttpStatusCode.ServiceUnavailable, await SignalRRefusalAsync(node, HttpTransportType.WebSockets));
        Assert.Equal(HttpStatusCode.ServiceUnavailable, await SignalRRefusalAsync(node, HttpTransportType.ServerSentEvents));
        Assert.Equal(HttpStatusCode.ServiceUnavailable, await SignalRRefusalAsync(node, HttpTransportType.LongPolling));
        // An empty connection token names no connection: SignalR would open a new one.
        Assert.Equal(HttpStatusCode.ServiceUnavailable, await RefusalAsync(new Uri(node.BaseUri, "/hub?id=")));
    }

    /// <summary>Spellings routing takes for SignalR's negotiate endpoint (its paths match without case, with a trailing slash).</summary>
    public static TheoryData<string> NegotiateSpellings => ["/hub/negotiate", "/hub/NEGOTIATE", "/hub/negotiate/", "/HUB/Negotiate"];

    [Theory]
    [MemberData(nameof(NegotiateSpellings))]
    public async Task A_negotiate_however_spelled_is_refused_while_stopping_when_full_and_past_the_address_rate(string path)
    {
        var uri = $"{path}?negotiateVersion=1";
        await using (var stopping = await HubNode.StartAsync())
        {
            stopping.Services.GetRequiredService<IHostApplicationLifetime>().StopApplication();
            Assert.Equal(HttpStatusCode.ServiceUnavailable, await NegotiateAsync(stopping, uri));
        }

        await using (var full = await HubNode.StartAsync(settings: "Wschat:Limits:MaxConnections=1"))
        {
            Assert.Equal(HttpStatusCode.OK, await NegotiateAsync(full, uri));
            await using var only = await RawClient.ConnectAsync(full.RawUri);
            Assert.Equal(HttpStatusCode.ServiceUnavailable, await NegotiateAsync(full, uri));
        }

        // One token, one more a second: of 5 negotiates at once, at most 2 get through however the refill falls.
        await using var limited = await HubNode.StartAsync(settings: ["Wschat:Limits:ConnectionBurstPerIp=1", "Wschat:Limits:ConnectionsPerSecondPerIp=1"]);
        var statuses = await Task.WhenAll(Enumerable.Range(0, 5).Select(_ => NegotiateAsync(limited, uri)));
        Assert.All(statuses, static status => Assert.Contains(status, new[] { HttpStatusCode.OK, HttpStatusCode.TooManyRequests }));
        Assert.InRange(statuses.Count(static status => status == HttpStatusCode.TooManyRequests), 3, 5);
    }

    [Fact]
    public async Task WebSockets_to_the_hub_with_an_empty_connection_token_each_count_as_a_new_connection_of_their_address()
    {
        const int Burst = 3;
        const int Sockets = 12;
        await using var node = await HubNode.StartAsync(settings: [$"Wschat:Limits:ConnectionBurstPerIp={Burst}", "Wschat:Limits:ConnectionsPerSecondPerIp=1"]);
        var uri = new Uri(node.BaseUri, "/hub?id=");

        var clock = Stopwatch.StartNew();
        var statuses = await Task.WhenAll(Enumerable.Range(0, Sockets).Select(_ => HandshakeAsync(uri, static _ => { })));
        var seconds = (int)clock.Elapsed.TotalSeconds;

        // SignalR opened a connection for every socket it accepted; the bucket holds 3 and gains one a second.
        Assert.All(statuses, static status => Assert.Contains(status, new[] { HttpStatusCode.SwitchingProtocols, HttpStatusCode.TooManyRequests }));
        Assert.InRange(statuses.Count(static status => status == HttpStatusCode.SwitchingProtocols), 1, Burst + 1 + seconds);
    }

    [Theory]
    [MemberData(nameof(HttpTransports))]
    public async Task SignalR_over_SSE_or_long_polling_from_an_origin_not_on_the_allowed_list_is_refused_with_403(HttpTransportType transport)
    {
        await using var node = await HubNode.StartAsync(settings: "Wschat:Limits:AllowedOrigins:0=https://ok.example");

        Assert.Equal(HttpStatusCode.Forbidden, await SignalRRefusalAsync(node, transport, ("Origin", "https://evil.example")));

        await using var allowed = await ConnectSignalRAsync(node, transport, ("Origin", "https://ok.example"));
        Assert.True(allowed.Uid > 0);
    }

    [Theory]
    [MemberData(nameof(HttpTransports))]
    public async Task SSE_long_polling_and_WebSockets_count_toward_one_connection_limit_and_past_it_each_is_refused_with_503(HttpTransportType transport)
    {
        await using var node = await HubNode.StartAsync(settings: "Wschat:Limits:MaxConnections=2");
        var raw = await RawClient.ConnectAsync(node.RawUri);
        await using var polling = await ConnectSignalRAsync(node, transport);

        // Full: one raw WebSocket and one connection over SSE or long polling, however many requests that one makes.
        Assert.Equal(HttpStatusCode.ServiceUnavailable, await SignalRRefusalAsync(node, transport));
        Assert.Equal(HttpStatusCode.ServiceUnavailable, await SignalRRefusalAsync(node, HttpTransportType.WebSockets));
        Assert.Equal(HttpStatusCode.ServiceUnavailable, await RefusalAsync(node.RawUri));
        using (var http = new HttpClient { Timeout = RawClient.Timeout })
        {
            // A negotiate is refused even when it names a connection, as later requests do.
            using var negotiate = await http.PostAsync(new Uri(node.BaseUri, "/hub/negotiate?negotiateVersion=1&id=x"), null);
            Assert.Equal(HttpStatusCode.ServiceUnavailable, negotiate.StatusCode);
        }

        await raw.DisposeAsync();
        await using var next = await Eventually.GetAsync(() => ConnectSignalRAsync(node, transport)!, RawClient.Timeout, "a connection slot freed by a close");
        Assert.True(next.Uid > 0);
    }

    [Fact]
    public async Task A_connect_storm_from_one_address_is_refused_with_429_on_every_transport_while_another_address_connects()
    {
        const string Storming = "198.51.100.1";
        const string Other = "198.51.100.2";
        const int Burst = 3;
        await using var node = await HubNode.StartAsync(settings:
            ["Wschat:TrustedProxies:0=127.0.0.1", $"Wschat:Limits:ConnectionBurstPerIp={Burst}", "Wschat:Limits:ConnectionsPerSecondPerIp=1"]);

        // 20 raw WebSockets and 20 long-polling clients at once: the bucket holds 3 and gains one a
        // second, so each transport has refusals unless the storm took longer than 17 s.
        var storm = await Task.WhenAll(Enumerable.Range(0, 40).Select(i => i % 2 == 0
            ? AttemptRawAsync(node.RawUri, Storming)
            : AttemptSignalRAsync(node, HttpTransportType.LongPolling, Storming)));

        var raw = storm.Where(static (_, i) => i % 2 == 0).ToArray();
        var polling = storm.Where(static (_, i) => i % 2 == 1).ToArray();
        Assert.All(raw, static status => Assert.Contains(status, new[] { HttpStatusCode.SwitchingProtocols, HttpStatusCode.TooManyRequests }));
        Assert.All(polling, static status => Assert.Contains(status, new[] { HttpStatusCode.OK, HttpStatusCode.TooManyRequests }));
        Assert.Contains(HttpStatusCode.TooManyRequests, raw);
        Assert.Contains(HttpStatusCode.TooManyRequests, polling);
        Assert.InRange(storm.Count(static status => status != HttpStatusCode.TooManyRequests), Burst, 20);

        Assert.Equal(HttpStatusCode.SwitchingProtocols, await AttemptRawAsync(node.RawUri, Other));
        Assert.Equal(HttpStatusCode.OK, await AttemptSignalRAsync(node, HttpTransportType.ServerSentEvents, Other));
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

    private static async Task<HttpStatusCode> NegotiateAsync(HubNode node, string pathAndQuery)
    {
        using var http = new HttpClient { Timeout = RawClient.Timeout };
        using var response = await http.PostAsync(new Uri(node.BaseUri, pathAndQuery), null);
        return response.StatusCode;
    }

    /// <summary>Opens a WebSocket that the node must refuse; the HTTP status it refused with.</summary>
    private static async Task<HttpStatusCode> RefusalAsync(Uri uri, string? origin = null)
    {
        var status = await HandshakeAsync(uri, o => SetOrigin(o, origin));
        Assert.NotEqual(HttpStatusCode.SwitchingProtocols, status);
        return status;
    }

    /// <summary>Opens a WebSocket and drops it: the HTTP status the node answered the handshake with (101: accepted).</summary>
    private static async Task<HttpStatusCode> HandshakeAsync(Uri uri, Action<ClientWebSocketOptions> configure)
    {
        using var socket = new ClientWebSocket();
        socket.Options.CollectHttpResponseDetails = true;
        configure(socket.Options);
        using var timeout = new CancellationTokenSource(RawClient.Timeout);
        try
        {
            await socket.ConnectAsync(new UriBuilder(uri) { Scheme = "ws" }.Uri, timeout.Token);
        }
        catch (WebSocketException)
        {
            // Refused: the status says why.
        }

        return socket.HttpStatusCode;
    }

    private static Task<SignalRClient> ConnectSignalRAsync(HubNode node, HttpTransportType transport, params (string Name, string Value)[] headers) =>
        SignalRClient.ConnectAsync(new Uri(node.BaseUri, "/hub"), HubProtocolKind.Json, configure: options =>
        {
            options.Transports = transport;
            foreach (var (name, value) in headers)
            {
                options.Headers[name] = value;
            }
        });

    /// <summary>Starts a SignalR client that the node must refuse before its transport starts; the HTTP status it refused with.</summary>
    private static async Task<HttpStatusCode> SignalRRefusalAsync(HubNode node, HttpTransportType transport, params (string Name, string Value)[] headers)
    {
        var refusal = await Assert.ThrowsAsync<HttpRequestException>(() => ConnectSignalRAsync(node, transport, headers));
        return refusal.StatusCode ?? throw new InvalidOperationException("refused without an HTTP status", refusal);
    }

    /// <summary>Connects a SignalR client through a proxy that says it came from <paramref name="forwardedFor"/>: 200 when it got its uid, else the status it was refused with.</summary>
    private static async Task<HttpStatusCode> AttemptSignalRAsync(HubNode node, HttpTransportType transport, string forwardedFor)
    {
        try
        {
            await using var client = await ConnectSignalRAsync(node, transport, ("X-Forwarded-For", forwardedFor));
            return HttpStatusCode.OK;
        }
        catch (HttpRequestException refusal) when (refusal.StatusCode is { } status)
        {
            return status;
        }
    }

    /// <summary>Opens a raw WebSocket through a proxy that says it came from <paramref name="forwardedFor"/>: the status of its handshake.</summary>
    internal static Task<HttpStatusCode> AttemptRawAsync(Uri uri, string forwardedFor) =>
        HandshakeAsync(uri, o => o.SetRequestHeader("X-Forwarded-For", forwardedFor));

    private static void SetOrigin(ClientWebSocketOptions options, string? origin)
    {
        if (origin is not null)
        {
            options.SetRequestHeader("Origin", origin);
        }
    }
}
