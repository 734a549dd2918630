using System.Security.Authentication;
using Microsoft.AspNetCore.Http.Connections;
using Wschat.Tests.Infrastructure;

namespace Wschat.Tests.Hosting;

/// <summary>TLS as an existing install turns it on: <c>ssl=1</c> and a PEM pair in lblserver.conf, no other setting.</summary>
public sealed class TlsTests
{
    [Fact]
    public async Task With_ssl_1_the_node_listens_with_TLS_on_the_port_lblserver_conf_names()
    {
        await using var tls = await TlsNode.StartAsync();

        Assert.Equal(new Uri($"wss://127.0.0.1:{tls.Port}/"), tls.Node.RawUri);
        using var plain = new HttpClient();
        using var timeout = new CancellationTokenSource(RawClient.Timeout);
        await Assert.ThrowsAnyAsync<HttpRequestException>(() => plain.GetAsync(new Uri($"http://127.0.0.1:{tls.Port}/healthz"), timeout.Token));
    }

    [Fact]
    public async Task A_raw_client_gets_its_uid_and_a_danmu_round_trip_over_wss()
    {
        await using var tls = await TlsNode.StartAsync();

        await using var client = await RawClient.ConnectAsync(tls.Node.RawUri, o => o.RemoteCertificateValidationCallback = tls.Validation);

        Assert.True(client.Uid > 0);
        Assert.Equal("127.0.0.1", client.Ip);
        await client.JoinAsync("tls-room");
        await client.SendAsync("danmu", new { text = "加密的弹幕😀" });
        Assert.Equal("加密的弹幕😀", (await client.ReceiveAsync("danmu")).GetProperty("text").GetString());
    }

    [Fact]
    public async Task A_SignalR_JSON_client_over_a_TLS_WebSocket_chats_with_a_raw_client_over_wss()
    {
        await using var tls = await TlsNode.StartAsync();
        await using var raw = await RawClient.ConnectAsync(tls.Node.RawUri, o => o.RemoteCertificateValidationCallback = tls.Validation);
        await using var json = await SignalRClient.ConnectAsync(tls.Node.HubUri, HubProtocolKind.Json, configure: o =>
        {
            tls.Trust(o);
            o.Transports = HttpTransportType.WebSockets;
        });
        await raw.JoinAsync("tls-room");
        await json.JoinAsync("tls-room");
        await raw.ReceiveAsync("event");

        await json.SendAsync("danmu", new { text = "从SignalR来" });

        Assert.Equal(json.UidText, (await raw.ReceiveAsync("danmu")).GetProperty("uid").GetString());
        Assert.Equal("从SignalR来", (await json.ReceiveAsync("danmu")).GetProperty("text").GetString());
    }

    [Fact]
    public async Task A_client_that_does_not_trust_the_certificate_cannot_connect()
    {
        await using var tls = await TlsNode.StartAsync();

        var refused = await Assert.ThrowsAnyAsync<Exception>(() => RawClient.ConnectAsync(tls.Node.RawUri));

        Assert.IsType<AuthenticationException>(refused.GetBaseException());
    }
}
