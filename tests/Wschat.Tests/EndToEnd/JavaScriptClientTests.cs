using Wschat.Tests.Infrastructure;

namespace Wschat.Tests.EndToEnd;

/// <summary>Runs tests/js with Node: @microsoft/signalr over JSON and MessagePack next to a raw client.</summary>
public sealed class JavaScriptClientTests
{
    [Fact]
    public async Task JavaScript_SignalR_clients_and_a_raw_client_share_a_room()
    {
        await using var node = await HubNode.StartAsync(settings: "Wschat:AdminTokens:0=js-admin-token");
        await NodeTests.RunAsync("interop.test.js", node.BaseUri);
    }
}
