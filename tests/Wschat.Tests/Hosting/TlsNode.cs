using System.Net.Security;
using Microsoft.AspNetCore.Http.Connections.Client;
using Wschat.Tests.Infrastructure;

namespace Wschat.Tests.Hosting;

/// <summary>
/// A node with TLS turned on as a legacy install does it: no <c>--urls</c>, an lblserver.conf with <c>ssl=1</c>
/// and a freshly generated self-signed PEM pair. Clients accept that certificate and no other.
/// </summary>
internal sealed class TlsNode(HubNode node, TestCertificate certificate, int port) : IAsyncDisposable
{
    public HubNode Node => node;

    /// <summary>The port lblserver.conf named.</summary>
    public int Port => port;

    /// <summary>Trusts exactly the node's certificate.</summary>
    public RemoteCertificateValidationCallback Validation => certificate.Validation;

    public static async Task<TlsNode> StartAsync()
    {
        var directory = TempDirectory.Create();
        var certificate = TestCertificate.Create(directory);
        var (node, port) = await LegacyInstall.StartAsync(directory, $"ssl=1\nssl_cert={certificate.CertificatePath}\nssl_key={certificate.KeyPath}\n");
        return new TlsNode(node, certificate, port);
    }

    /// <summary>For a SignalR client: the negotiate request and the WebSocket both trust the node's certificate.</summary>
    public void Trust(HttpConnectionOptions options) => certificate.Trust(options);

    public async ValueTask DisposeAsync()
    {
        await node.DisposeAsync();
        certificate.Dispose();
    }
}
