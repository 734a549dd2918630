using Wschat.Tests.Infrastructure;

namespace Wschat.Tests.Cluster;

/// <summary>One real Redis and two hub nodes (each with its own Kestrel) in this process.</summary>
public sealed class ClusterFixture : IAsyncLifetime
{
    public RedisServer Redis { get; private set; } = null!;

    public HubNode NodeA { get; private set; } = null!;

    public HubNode NodeB { get; private set; } = null!;

    public string[] Settings => [$"Wschat:Redis={Redis.Configuration}", "Wschat:AdminTokens:0=cluster-admin"];

    public async Task InitializeAsync()
    {
        Redis = await RedisServer.StartAsync();
        NodeA = await HubNode.StartAsync(settings: Settings);
        NodeB = await HubNode.StartAsync(settings: Settings);
    }

    public async Task DisposeAsync()
    {
        await NodeA.DisposeAsync();
        await NodeB.DisposeAsync();
        await Redis.DisposeAsync();
    }
}
