using System.Diagnostics.Metrics;
using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.SignalR.Client;
using Microsoft.Extensions.DependencyInjection;
using Wschat.Contracts;
using Wschat.Hub.Diagnostics;
using Wschat.RawAdapter.Protocol;
using Wschat.RawAdapter.Diagnostics;
using Wschat.Tests.EndToEnd;
using Wschat.Tests.Infrastructure;

namespace Wschat.Tests.Hosting;

/// <summary>
/// <c>/metrics</c> after real traffic on a node of its own (each node's meters are its own, so the
/// counts are exactly what the test caused). Counters are read until they reach the expected value:
/// a client may see a message a moment before the node has counted its delivery.
/// </summary>
public sealed class MetricsTests
{
    private const string Prefix = "wschat_wschat_";
    private static readonly TimeSpan s_timeout = TimeSpan.FromSeconds(10);

    [Fact]
    public async Task Metrics_count_the_connections_rooms_messages_and_deliveries_that_raw_and_SignalR_clients_caused()
    {
        await using var node = await HubNode.StartAsync();
        var room = SingleNodeFixture.NewRoom();
        await using var raw = await RawClient.ConnectAsync(node.RawUri);
        await using var signalR = await SignalRClient.ConnectAsync(node.HubUri, HubProtocolKind.Json);
        await using var lonely = await RawClient.ConnectAsync(node.RawUri);
        await ChatClients.JoinAllAsync(room, raw, signalR);

        for (var i = 0; i < 3; i++)
        {
            await raw.SendAsync("danmu", new { text = "弹幕" + i });
        }

        await signalR.SendAsync("text", new { text = "文字" });
        await lonely.SendAsync("danmu", new { text = "没进房间" });
        // Two senders: the text may come before, between or after the danmu.
        foreach (var member in new IChatClient[] { raw, signalR })
        {
            var types = new List<string?>();
            for (var i = 0; i < 4; i++)
            {
                types.Add((await member.ReceiveAsync()).GetProperty("type").GetString());
            }

            Assert.Equal(["danmu", "danmu", "danmu", "text"], types.Order(StringComparer.Ordinal));
        }

        Assert.Equal(4001, (await lonely.ReceiveAsync("error")).GetProperty("code").GetInt32());

        // Deliveries: 3 setuserid, 1 + 2 joinroom events, (3 danmu + 1 text) to 2 members, 1 error.
        await WaitForAsync(node, new()
        {
            ["connections{wschat_protocol=\"wschat\",wschat_transport=\"raw\"}"] = 2,
            ["connections{wschat_protocol=\"json\",wschat_transport=\"websockets\"}"] = 1,
            ["rooms"] = 1,
            ["room_members"] = 2,
            ["messages_received{wschat_message_type=\"join\"}"] = 2,
            ["messages_received{wschat_message_type=\"danmu\"}"] = 4,
            ["messages_received{wschat_message_type=\"text\"}"] = 1,
            ["messages_delivered"] = 3 + 3 + 8 + 1,
            ["errors{wschat_error_code=\"4001\"}"] = 1,
            ["uids_allocated"] = 3,
        });
        var scrape = await ScrapeAsync(node);
        Assert.True(scrape.GetValueOrDefault(Prefix + "broadcast_duration_count") >= 1, "a room broadcast was timed");
        Assert.DoesNotContain(scrape.Keys, static key => key.StartsWith(Prefix + "redis_", StringComparison.Ordinal));

        await signalR.DisposeAsync();
        await lonely.DisposeAsync();
        await WaitForAsync(node, new()
        {
            ["connections{wschat_protocol=\"wschat\",wschat_transport=\"raw\"}"] = 1,
            ["connections{wschat_protocol=\"json\",wschat_transport=\"websockets\"}"] = 0,
            ["rooms"] = 1,
            ["room_members"] = 1,
        });
    }

    [Fact]
    public async Task Rate_limited_frames_are_counted_and_as_errors_by_their_code()
    {
        await using var node = await HubNode.StartAsync(settings: ["Wschat:Limits:MessageBurst=1", "Wschat:Limits:MessagesPerSecond=1"]);
        await using var client = await RawClient.ConnectAsync(node.RawUri);
        const int Sent = 5;
        for (var i = 0; i < Sent; i++)
        {
            await client.SendAsync("hello");
        }

        // However the bucket refilled meanwhile, every frame is answered: a hello, or an error.
        var refused = 0;
        for (var i = 0; i < Sent; i++)
        {
            var reply = await client.ReceiveAsync();
            refused += reply.GetProperty("type").GetString() == "error" ? 1 : 0;
        }

        Assert.InRange(refused, 1, Sent - 1);
        await WaitForAsync(node, new()
        {
            ["messages_received{wschat_message_type=\"hello\"}"] = Sent,
            ["messages_rate_limited"] = refused,
            ["errors{wschat_error_code=\"4029\"}"] = refused,
        });
    }

    [Theory]
    [InlineData(HubProtocolKind.Json)]
    [InlineData(HubProtocolKind.MessagePack)]
    public async Task A_SignalR_client_naming_the_raw_protocols_refusal_is_told_it_is_unknown_and_chooses_no_error_series(HubProtocolKind protocol)
    {
        await using var node = await HubNode.StartAsync();
        await using var client = await SignalRClient.ConnectAsync(node.HubUri, protocol);
        using var timeout = new CancellationTokenSource(RawClient.Timeout);

        await client.Connection.InvokeAsync(WschatHubProtocol.RefusalMethod, 4999, "chosen by the client", timeout.Token);

        // As a raw client naming it is answered; the code it chose is neither sent nor counted.
        var error = await client.ReceiveAsync("error");
        Assert.Equal(ErrorCodes.UnknownType, error.GetProperty("code").GetInt32());
        Assert.Equal("unknown type \"wschat:refused\"", error.GetProperty("msg").GetString());
        var scrape = await WaitForAsync(node, new() { ["errors{wschat_error_code=\"1003\"}"] = 1 });
        Assert.Single(scrape.Keys, static key => key.StartsWith(Prefix + "errors", StringComparison.Ordinal));
        Assert.Empty(node.LoggedErrors);
    }

    [Fact]
    public void Error_codes_the_server_never_sends_are_counted_as_other()
    {
        using var meters = new ServiceCollection().AddMetrics().BuildServiceProvider();
        var factory = meters.GetRequiredService<IMeterFactory>();
        var metrics = new WschatMetrics(factory);
        var labels = new List<object?>();
        using var listener = new MeterListener();
        listener.InstrumentPublished = (instrument, l) =>
        {
            if (ReferenceEquals(instrument.Meter.Scope, factory) && instrument.Name == "wschat.errors")
            {
                l.EnableMeasurementEvents(instrument);
            }
        };
        listener.SetMeasurementEventCallback<long>((_, _, tags, _) => labels.Add(tags.ToArray().Single(static t => t.Key == WschatMetrics.ErrorCodeTag).Value));
        listener.Start();

        metrics.ErrorSent(ErrorCodes.NotInRoom);
        metrics.ErrorSent(ErrorCodes.MalformedJson);
        metrics.ErrorSent(4999);
        metrics.ErrorSent(-1);

        Assert.Equal(["4001", "1001", "other", "other"], labels);
    }

    [Fact]
    public async Task Resumes_count_as_hits_when_the_history_held_every_missed_message_and_as_misses_otherwise()
    {
        await using var node = await HubNode.StartAsync();
        await using var client = await RawClient.ConnectAsync(node.RawUri);
        await client.JoinAsync(SingleNodeFixture.NewRoom());

        // The room's first danmu begins its epoch: a place to resume from.
        await client.SendAsync("danmu", new { text = "一" });
        await client.ReceiveAsync("danmu");
        await client.SendAsync("history", new { });
        var latest = await client.ReceiveAsync("history");

        await client.SendAsync("history", new { epoch = latest.GetProperty("epoch").GetString(), offset = latest.GetProperty("offset").GetInt64() });
        Assert.True((await client.ReceiveAsync("history")).GetProperty("recovered").GetBoolean());
        await client.SendAsync("history", new { epoch = "an epoch long gone", offset = 1 });
        Assert.False((await client.ReceiveAsync("history")).GetProperty("recovered").GetBoolean());

        // The first request asked for no place: it is no resume.
        await WaitForAsync(node, new()
        {
            ["history_resumes{wschat_resume_result=\"hit\"}"] = 1,
            ["history_resumes{wschat_resume_result=\"miss\"}"] = 1,
        });
    }

    [Fact]
    public async Task With_Redis_the_state_and_the_publish_durations_are_exported()
    {
        await using var redis = await RedisServer.StartAsync();
        await using var node = await HubNode.StartAsync(settings: $"Wschat:Redis={redis.Configuration}");
        await using var client = await RawClient.ConnectAsync(node.RawUri);
        await client.JoinAsync(SingleNodeFixture.NewRoom());
        await client.SendAsync("danmu", new { text = "经过Redis" });
        await client.ReceiveAsync("danmu");

        await WaitForAsync(node, new() { ["redis_connected"] = 1 });
        var scrape = await ScrapeAsync(node);
        Assert.True(scrape.GetValueOrDefault(Prefix + "redis_publish_duration_count") >= 1, "a Redis publish was timed");
        Assert.True(scrape.GetValueOrDefault(Prefix + "redis_publish_batch_size_count") >= 1, "a Redis batch was sized");

        await redis.StopAsync();
        await WaitForAsync(node, new() { ["redis_connected"] = 0 });
    }

    [Fact]
    public async Task Metrics_can_be_turned_off_or_kept_for_admins()
    {
        await using var off = await HubNode.StartAsync(settings: "Wschat:Metrics:Enabled=false");
        using var http = new HttpClient();
        Assert.Equal(HttpStatusCode.NotFound, (await http.GetAsync(new Uri(off.BaseUri, "/metrics"))).StatusCode);

        await using var guarded = await HubNode.StartAsync(settings: ["Wschat:Metrics:RequireAdminToken=true", "Wschat:AdminTokens:0=scraper"]);
        var url = new Uri(guarded.BaseUri, "/metrics");
        Assert.Equal(HttpStatusCode.Forbidden, (await http.GetAsync(url)).StatusCode);
        using var request = new HttpRequestMessage(HttpMethod.Get, url) { Headers = { Authorization = new AuthenticationHeaderValue("Bearer", "scraper") } };
        using var response = await http.SendAsync(request);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.StartsWith("text/plain", response.Content.Headers.ContentType?.ToString(), StringComparison.Ordinal);
    }

    /// <summary>Each way to say where a node listens, which the management port joins.</summary>
    public static TheoryData<string> ListenSettings => ["urls", "Kestrel:Endpoints", "http_ports", "lblserver.conf"];

    [Theory]
    [MemberData(nameof(ListenSettings))]
    public async Task With_a_metrics_port_metrics_are_served_there_alone_and_nowhere_else(string listenSetting)
    {
        var port = FreePort.Next();
        var main = FreePort.Next().ToString(CultureInfo.InvariantCulture);
        var metricsPort = $"Wschat:Metrics:Port={port.ToString(CultureInfo.InvariantCulture)}";
        await using var node = listenSetting switch
        {
            "urls" => await HubNode.StartAsync(settings: metricsPort),
            "Kestrel:Endpoints" => await HubNode.StartAsync(urls: null, settings: [$"Kestrel:Endpoints:Main:Url=http://127.0.0.1:{main}", metricsPort]),
            "http_ports" => await HubNode.StartAsync(urls: null, settings: [$"http_ports={main}", metricsPort]),
            _ => (await LegacyInstall.StartAsync(TempDirectory.Create(), "", metricsPort)).Node,
        };
        var metrics = new Uri($"http://127.0.0.1:{port.ToString(CultureInfo.InvariantCulture)}/");
        Assert.NotEqual(port, node.BaseUri.Port);
        using var http = new HttpClient { Timeout = RawClient.Timeout };

        Assert.Contains(Prefix + "rooms ", await http.GetStringAsync(new Uri(metrics, "/metrics")), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.NotFound, (await http.GetAsync(new Uri(metrics, "/healthz"))).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await http.GetAsync(new Uri(metrics, "/demo/"))).StatusCode);

        Assert.Equal(HttpStatusCode.OK, (await http.GetAsync(new Uri(node.BaseUri, "/healthz"))).StatusCode);
        foreach (var path in new[] { "/metrics", "/METRICS", "/metrics/" })
        {
            Assert.Equal(HttpStatusCode.NotFound, (await http.GetAsync(new Uri(node.BaseUri, path))).StatusCode);
        }

        // The port is the socket's: a Host header naming the metrics port changes nothing.
        using var forged = new HttpRequestMessage(HttpMethod.Get, new Uri(node.BaseUri, "/metrics")) { Headers = { Host = metrics.Authority } };
        Assert.Equal(HttpStatusCode.NotFound, (await http.SendAsync(forged)).StatusCode);
    }

    [Fact]
    public async Task ASP_NET_Cores_meters_are_exported_only_when_asked_for()
    {
        const string AspNetCore = "microsoft_aspnetcore_";
        const string RequestDurations = AspNetCore + "hosting_http_server_request_duration_count";
        await using var plain = await HubNode.StartAsync();
        await using var full = await HubNode.StartAsync(settings: "Wschat:Metrics:AspNetCoreMeters=true");
        await ScrapeAsync(plain);
        await ScrapeAsync(full);

        // The first scrape is a finished request by the time the second one is answered.
        Assert.DoesNotContain((await ScrapeAsync(plain)).Keys, static key => key.StartsWith(AspNetCore, StringComparison.Ordinal));
        var scrape = await ScrapeAsync(full);
        Assert.Contains(scrape.Keys, static key => key.StartsWith(AspNetCore + "server_kestrel_", StringComparison.Ordinal));
        Assert.True(scrape.Where(static s => s.Key.StartsWith(RequestDurations, StringComparison.Ordinal)).Sum(static s => s.Value) >= 1, "HTTP requests were timed");
    }

    [Fact]
    public async Task The_Grafana_dashboard_queries_only_series_of_the_nodes_instruments()
    {
        await using var redis = await RedisServer.StartAsync();
        await using var node = await HubNode.StartAsync(settings: $"Wschat:Redis={redis.Configuration}");
        var meters = node.Services.GetRequiredService<IMeterFactory>();
        var series = new HashSet<string>(StringComparer.Ordinal);
        using (var listener = new MeterListener())
        {
            listener.InstrumentPublished = (instrument, _) =>
            {
                if (ReferenceEquals(instrument.Meter.Scope, meters) && instrument.Meter.Name == WschatMeter.Name)
                {
                    var name = "wschat_" + instrument.Name.Replace('.', '_');
                    series.UnionWith([name, name + "_bucket", name + "_sum", name + "_count"]);
                }
            };
            listener.Start();
        }

        var dashboard = await File.ReadAllTextAsync(Path.Combine(RepositoryPaths.Root, "deploy", "grafana", "wschat.json"));
        var queried = Regex.Matches(dashboard, @"\bwschat_wschat_\w+").Select(static m => m.Value).Distinct().ToList();

        Assert.NotEmpty(queried);
        Assert.All(queried, name => Assert.Contains(name, series));
    }

    /// <summary>Reads <c>/metrics</c> until every series (named without <see cref="Prefix"/>) has its value.</summary>
    private static Task<Dictionary<string, double>> WaitForAsync(HubNode node, Dictionary<string, double> expected) =>
        Eventually.GetAsync(
            async () =>
            {
                var scrape = await ScrapeAsync(node);
                var wrong = expected.Where(e => scrape.GetValueOrDefault(Prefix + e.Key) != e.Value).ToList();
                return wrong.Count == 0
                    ? scrape
                    : throw new InvalidOperationException(string.Join(", ", wrong.Select(w => $"{w.Key}: {scrape.GetValueOrDefault(Prefix + w.Key)} (expected {w.Value})")));
            },
            s_timeout,
            "the expected metrics");

    /// <summary>Series (name and labels, as written) to values, from the Prometheus text format.</summary>
    private static async Task<Dictionary<string, double>> ScrapeAsync(HubNode node)
    {
        using var http = new HttpClient();
        var text = await http.GetStringAsync(new Uri(node.BaseUri, "/metrics"));
        return text.Split('\n')
            .Where(static line => line.Length > 0 && line[0] != '#')
            .Select(static line => (Series: line[..line.LastIndexOf(' ')], Value: line[(line.LastIndexOf(' ') + 1)..]))
            .ToDictionary(static s => s.Series, static s => double.Parse(s.Value, CultureInfo.InvariantCulture));
    }
}
