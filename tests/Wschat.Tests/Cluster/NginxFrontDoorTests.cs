using System.Globalization;
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

        async Task AssertEveryoneGetsAsync(string text)
        {
            Assert.Equal(text, (await rawOnB.ReceiveSkippingAsync("danmu")).GetProperty("text").GetString());
            Assert.Equal(text, (await rawViaNginx.ReceiveSkippingAsync("danmu")).GetProperty("text").GetString());
            Assert.Equal(text, (await signalRViaNginx.ReceiveSkippingAsync("danmu")).GetProperty("text").GetString());
        }
    }

    /// <summary>nginx with deploy/nginx/wschat.conf, its upstreams and port rewritten to the test's.</summary>
    private sealed class NginxProxy : IAsyncDisposable
    {
        private readonly ChildProcess _process;

        private NginxProxy(ChildProcess process, Uri baseUri)
        {
            _process = process;
            BaseUri = baseUri;
        }

        public Uri BaseUri { get; }

        public Uri RawUri => new UriBuilder(BaseUri) { Scheme = "ws", Path = "/" }.Uri;

        public Uri HubUri => new(BaseUri, "/hub");

        public static async Task<NginxProxy> StartAsync(Uri nodeA, Uri nodeB)
        {
            var port = FreePort.Next().ToString(CultureInfo.InvariantCulture);
            var directory = TempDirectory.Create();
            var site = File.ReadAllText(Path.Combine(RepositoryPaths.Root, "deploy", "nginx", "wschat.conf"))
                .Replace("127.0.0.1:3001", nodeA.Authority, StringComparison.Ordinal)
                .Replace("127.0.0.1:3002", nodeB.Authority, StringComparison.Ordinal)
                .Replace("listen 80;", $"listen 127.0.0.1:{port};", StringComparison.Ordinal);
            File.WriteAllText(Path.Combine(directory, "wschat.conf"), site);
            File.WriteAllText(Path.Combine(directory, "nginx.conf"), $$"""
                pid {{directory}}/nginx.pid;
                error_log {{directory}}/error.log warn;
                events {}
                http {
                    access_log off;
                    client_body_temp_path {{directory}}/body;
                    proxy_temp_path {{directory}}/proxy;
                    fastcgi_temp_path {{directory}}/fastcgi;
                    uwsgi_temp_path {{directory}}/uwsgi;
                    scgi_temp_path {{directory}}/scgi;
                    include {{directory}}/wschat.conf;
                }
                """);
            var nginx = File.Exists("/usr/sbin/nginx") ? "/usr/sbin/nginx" : "nginx";
            var process = ChildProcess.Start(nginx, ["-p", directory, "-c", Path.Combine(directory, "nginx.conf"), "-g", "daemon off;"]);
            var baseUri = new Uri($"http://127.0.0.1:{port}/");
            using var http = new HttpClient();
            await Eventually.GetAsync(
                async () => process.HasExited ? throw new InvalidOperationException(process.Output) : await http.GetStringAsync(new Uri(baseUri, "/healthz")),
                TimeSpan.FromSeconds(15),
                "nginx proxying /healthz");
            return new NginxProxy(process, baseUri);
        }

        public async ValueTask DisposeAsync() => await _process.DisposeAsync();
    }
}
