using System.Globalization;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Wschat.Hub.Hosting;
using Wschat.Tests.Infrastructure;

namespace Wschat.Tests.Hosting;

public sealed class LegacyConfigTests
{
    [Fact]
    public void Without_a_conf_file_the_server_listens_on_port_3000_without_TLS() =>
        Assert.Equal(LegacyServerConfig.Default, LegacyServerConfig.Load(Path.Combine(TempDirectory.Create(), "missing.conf"), "/"));

    [Fact]
    public void The_conf_file_gives_port_TLS_and_PEM_paths_relative_to_the_base_directory()
    {
        var directory = TempDirectory.Create();
        var path = Path.Combine(directory, "lblserver.conf");
        File.WriteAllText(path, "# legacy wschat\nport = 3443\nssl=1\nssl_cert=conf/full.pem\nssl_key=/etc/key.pem\nunknown=kept out\n");

        var config = LegacyServerConfig.Load(path, "/srv/wschat");

        Assert.Equal(new LegacyServerConfig(3443, true, "/srv/wschat/conf/full.pem", "/etc/key.pem"), config);
    }

    [Fact]
    public async Task With_ssl_1_the_server_speaks_wss_from_the_PEM_pair_on_the_configured_port()
    {
        var directory = TempDirectory.Create();
        using var certificate = CreateSelfSignedCertificate(out var keyPem);
        File.WriteAllText(Path.Combine(directory, "cert.pem"), certificate.ExportCertificatePem());
        File.WriteAllText(Path.Combine(directory, "key.pem"), keyPem);
        var port = FreePort.Next();
        var conf = Path.Combine(directory, "lblserver.conf");
        File.WriteAllText(conf, $"port={port.ToString(CultureInfo.InvariantCulture)}\nssl=1\nssl_cert={directory}/cert.pem\nssl_key={directory}/key.pem\n");

        await using var node = await HubNode.StartAsync(urls: null, settings: $"Wschat:LegacyConfigFile={conf}");

        Assert.Equal(new Uri($"wss://127.0.0.1:{port}/"), node.RawUri);
        var thumbprint = certificate.Thumbprint;
        await using var client = await RawClient.ConnectAsync(node.RawUri, options =>
            options.RemoteCertificateValidationCallback = (_, presented, _, _) => presented is X509Certificate2 c && c.Thumbprint == thumbprint);
        await client.JoinAsync("tls-room");
        await client.SendAsync("danmu", new { text = "加密的弹幕" });
        Assert.Equal("加密的弹幕", (await client.ReceiveAsync("danmu")).GetProperty("text").GetString());
    }

    private static X509Certificate2 CreateSelfSignedCertificate(out string keyPem)
    {
        using var key = RSA.Create(2048);
        var request = new CertificateRequest("CN=wschat-test", key, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        var names = new SubjectAlternativeNameBuilder();
        names.AddIpAddress(System.Net.IPAddress.Loopback);
        names.AddDnsName("localhost");
        request.CertificateExtensions.Add(names.Build());
        keyPem = key.ExportPkcs8PrivateKeyPem();
        return request.CreateSelfSigned(DateTimeOffset.UtcNow.AddMinutes(-5), DateTimeOffset.UtcNow.AddDays(1));
    }
}
