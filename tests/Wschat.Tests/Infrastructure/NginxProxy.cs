using System.Globalization;

namespace Wschat.Tests.Infrastructure;

/// <summary>
/// nginx with deploy/nginx/wschat.conf: its upstreams, ports, certificate and access log rewritten to the
/// test's, the certificate a fresh self-signed one that <see cref="Certificate"/> lets clients trust.
/// </summary>
public sealed class NginxProxy : IServerEndpoint, IAsyncDisposable
{
    private readonly ChildProcess _process;

    private NginxProxy(ChildProcess process, Uri baseUri, Uri plainUri, TestCertificate certificate, string accessLogPath)
    {
        _process = process;
        BaseUri = baseUri;
        PlainUri = plainUri;
        Certificate = certificate;
        AccessLogPath = accessLogPath;
    }

    /// <summary>The TLS server (plain HTTP on the same port without <c>tls</c>).</summary>
    public Uri BaseUri { get; }

    /// <summary>The plain HTTP server, which only redirects to HTTPS.</summary>
    public Uri PlainUri { get; }

    public TestCertificate Certificate { get; }

    public string AccessLogPath { get; }

    /// <param name="tls">
    /// False: the conf's TLS server listens without TLS, for clients that cannot be told to trust a test
    /// certificate (the SDK takes the system's trust store).
    /// </param>
    public static async Task<NginxProxy> StartAsync(Uri nodeA, Uri nodeB, bool tls = true)
    {
        var port = FreePort.Next().ToString(CultureInfo.InvariantCulture);
        var plainPort = FreePort.Next().ToString(CultureInfo.InvariantCulture);
        var directory = TempDirectory.Create();
        var certificate = TestCertificate.Create(directory);
        var accessLog = Path.Combine(directory, "access.log");
        var site = File.ReadAllText(Path.Combine(RepositoryPaths.Root, "deploy", "nginx", "wschat.conf"))
            .Replace("127.0.0.1:3001", nodeA.Authority, StringComparison.Ordinal)
            .Replace("127.0.0.1:3002", nodeB.Authority, StringComparison.Ordinal)
            .Replace("listen 443 ssl;", tls ? $"listen 127.0.0.1:{port} ssl;" : $"listen 127.0.0.1:{port};", StringComparison.Ordinal)
            .Replace("listen 80;", $"listen 127.0.0.1:{plainPort};", StringComparison.Ordinal)
            .Replace("/etc/nginx/tls/wschat.crt", certificate.CertificatePath, StringComparison.Ordinal)
            .Replace("/etc/nginx/tls/wschat.key", certificate.KeyPath, StringComparison.Ordinal)
            .Replace("/var/log/nginx/wschat-access.log", accessLog, StringComparison.Ordinal);
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
        var baseUri = new Uri($"{(tls ? "https" : "http")}://127.0.0.1:{port}/");
        await ServerEndpoints.WaitHealthyAsync(baseUri, process, TimeSpan.FromSeconds(15), certificate.Handler());
        return new NginxProxy(process, baseUri, new Uri($"http://127.0.0.1:{plainPort}/"), certificate, accessLog);
    }

    public async ValueTask DisposeAsync()
    {
        await _process.DisposeAsync();
        Certificate.Dispose();
    }
}
