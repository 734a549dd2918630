using System.Net.WebSockets;
using System.Text;
using Wschat.Tests.Infrastructure;

namespace Wschat.Tests.Hosting;

/// <summary>The hub endpoint speaks SignalR's protocols; the wschat protocol belongs to the raw endpoint.</summary>
public sealed class HubEndpointProtocolTests
{
    [Fact]
    public async Task A_client_of_the_hub_endpoint_naming_the_wschat_protocol_is_closed_before_it_starts()
    {
        await using var node = await HubNode.StartAsync();
        using var socket = new ClientWebSocket();
        using var timeout = new CancellationTokenSource(RawClient.Timeout);
        await socket.ConnectAsync(new UriBuilder(node.HubUri) { Scheme = "ws" }.Uri, timeout.Token);

        await socket.SendAsync(Encoding.UTF8.GetBytes("{\"protocol\":\"wschat\",\"version\":1}\u001e"), WebSocketMessageType.Text, true, timeout.Token);

        // Everything the node sends until it closes: a started connection would be greeted with its uid.
        var received = new StringBuilder();
        var buffer = new byte[4096];
        while (true)
        {
            var result = await socket.ReceiveAsync(buffer, timeout.Token);
            if (result.MessageType == WebSocketMessageType.Close)
            {
                break;
            }

            received.Append(Encoding.UTF8.GetString(buffer, 0, result.Count));
        }

        Assert.DoesNotContain("setuserid", received.ToString(), StringComparison.Ordinal);
    }
}
