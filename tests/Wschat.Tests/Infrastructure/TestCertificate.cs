using System.Net;
using System.Net.Security;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Microsoft.AspNetCore.Http.Connections.Client;

namespace Wschat.Tests.Infrastructure;

/// <summary>A freshly generated self-signed certificate for 127.0.0.1 and localhost, as a PEM pair on disk; clients trust it and no other.</summary>
public sealed class TestCertificate : IDisposable
{
    private readonly X509Certificate2 _certificate;

    private TestCertificate(X509Certificate2 certificate, string certificatePath, string keyPath)
    {
        _certificate = certificate;
        CertificatePath = certificatePath;
        KeyPath = keyPath;
    }

    public string CertificatePath { get; }

    public string KeyPath { get; }

    /// <summary>Trusts exactly this certificate.</summary>
    public RemoteCertificateValidationCallback Validation => (_, presented, _, _) => presented is not null && presented.GetCertHashString() == _certificate.GetCertHashString();

    /// <summary>Writes <c>cert.pem</c> and <c>key.pem</c> into <paramref name="directory"/>.</summary>
    public static TestCertificate Create(string directory)
    {
        using var key = RSA.Create(2048);
        var request = new CertificateRequest("CN=wschat-test", key, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        var names = new SubjectAlternativeNameBuilder();
        names.AddIpAddress(IPAddress.Loopback);
        names.AddDnsName("localhost");
        request.CertificateExtensions.Add(names.Build());
        var certificate = request.CreateSelfSigned(DateTimeOffset.UtcNow.AddMinutes(-5), DateTimeOffset.UtcNow.AddDays(1));
        var certificatePath = Path.Combine(directory, "cert.pem");
        var keyPath = Path.Combine(directory, "key.pem");
        File.WriteAllText(certificatePath, certificate.ExportCertificatePem());
        File.WriteAllText(keyPath, key.ExportPkcs8PrivateKeyPem());
        return new TestCertificate(certificate, certificatePath, keyPath);
    }

    /// <summary>An HTTP handler that trusts this certificate.</summary>
    public HttpClientHandler Handler() => Trust(new HttpClientHandler());

    /// <summary>For a SignalR client: the negotiate request and the WebSocket both trust this certificate.</summary>
    public void Trust(HttpConnectionOptions options)
    {
        options.HttpMessageHandlerFactory = handler => Trust((HttpClientHandler)handler);
        options.WebSocketConfiguration = webSocket => webSocket.RemoteCertificateValidationCallback = Validation;
    }

    public void Dispose() => _certificate.Dispose();

    private HttpClientHandler Trust(HttpClientHandler handler)
    {
        var validation = Validation;
        handler.ServerCertificateCustomValidationCallback = (request, presented, chain, errors) => validation(request, presented, chain, errors);
        return handler;
    }
}
