using System.Globalization;

namespace Wschat.Tests.Infrastructure;

/// <summary>nginx with deploy/nginx/wschat.conf, its upstreams and port rewritten to the test's.</summary>
public sealed class NginxProxy : IServerEndpoint, IAsyncDisposable
{
    private readonly ChildProcess _process;

    private NginxProxy(ChildProcess process, Uri baseUri)
    {
        _process = process;
        BaseUri = baseUri;
    }

    public Uri BaseUri { get; }



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
        await ServerEndpoints.WaitHealthyAsync(baseUri, process, TimeSpan.FromSeconds(15));
        return new NginxProxy(process, baseUri);
    }

    public async ValueTask DisposeAsync() => await _process.DisposeAsync();
}
