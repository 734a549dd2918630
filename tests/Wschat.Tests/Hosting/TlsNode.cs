using System.Net;
using System.Net.Security;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Microsoft.AspNetCore.Http.Connections.Client;
using Wschat.Tests.Infrastructure;

namespace Wschat.Tests.Hosting;

/// <summary>
/// A node with TLS turned on as a legacy install does it: no <c>--urls</c>, an lblserver.conf with <c>ssl=1</c>
/// and a freshly generated self-signed PEM pair. Clients accept that certificate and no other.
/// </summary>
internal sealed class TlsNode(HubNode node, X509Certificate2 certificate, int port) : IAsyncDisposable
{
    public HubNode Node => node;

    /// <summary>The port lblserver.conf named.</summary>
    public int Port => port;

    /// <summary>Trusts exactly the node's certificate.</summary>
    public RemoteCertificateValidationCallback Validation => (_, presented, _, _) => presented is not null && presented.GetCertHashString() == certificate.GetCertHashString();

    public static async Task<TlsNode> StartAsync()
    {
        var directory = TempDirectory.Create();
        var certificate = CreateSelfSigned(out var keyPem);
        File.WriteAllText(Path.Combine(directory, "cert.pem"), certificate.ExportCertificatePem());
        File.WriteAllText(Path.Combine(directory, "key.pem"), keyPem);

        var (node, port) = await LegacyInstall.StartAsync(directory, $"ssl=1\nssl_cert={directory}/cert.pem\nssl_key={directory}/key.pem\n");
        return new TlsNode(node, certificate, port);
    }

    /// <summary>For a SignalR client: the negotiate request and the WebSocket both trust the node's certificate.</summary>
    public void Trust(HttpConnectionOptions options)
    {
        var validation = Validation;
        options.HttpMessageHandlerFactory = handler =>
        {
            ((HttpClientHandler)handler).ServerCertificateCustomValidationCallback = (request, presented, chain, errors) => validation(request, presented, chain, errors);
            return handler;
        };
        options.WebSocketConfiguration = webSocket => webSocket.RemoteCertificateValidationCallback = validation;
    }

    public async ValueTask DisposeAsync()
    {
        await node.DisposeAsync();
        certificate.Dispose();
    }

    private static X509Certificate2 CreateSelfSigned(out string keyPem)
    {
        using var key = RSA.Create(2048);
        var request = new CertificateRequest("CN=wschat-test", key, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        var names = new SubjectAlternativeNameBuilder();
        names.AddIpAddress(IPAddress.Loopback);
        names.AddDnsName("localhost");
        request.CertificateExtensions.Add(names.Build());
        keyPem = key.ExportPkcs8PrivateKeyPem();
        return request.CreateSelfSigned(DateTimeOffset.UtcNow.AddMinutes(-5), DateTimeOffset.UtcNow.AddDays(1));
    }
}
