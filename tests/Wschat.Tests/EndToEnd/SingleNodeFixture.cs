using Wschat.Tests.Infrastructure;

namespace Wschat.Tests.EndToEnd;

/// <summary>One real node shared by a test class; tests keep apart by using rooms of their own.</summary>
public sealed class SingleNodeFixture : IAsyncLifetime
{
    public const string AdminToken = "e2e-admin-token";

    public HubNode Node { get; private set; } = null!;

    /// <summary>A room of its own for one test; named in Chinese, as the vendor's players name theirs.</summary>
    public static string NewRoom() => "直播间-" + Guid.NewGuid().ToString("N")[..10];

    public Task<IChatClient> ConnectAsync(ClientKind kind) => ChatClients.ConnectAsync(Node, kind);

    /// <summary>A raw wschat client: the one whose messages are the wire itself.</summary>
    public Task<RawClient> ConnectRawAsync() => RawClient.ConnectAsync(Node.RawUri);

    public async Task InitializeAsync() => Node = await HubNode.StartAsync(settings: $"Wschat:AdminTokens:0={AdminToken}");

    public async Task DisposeAsync() => await Node.DisposeAsync();
}
