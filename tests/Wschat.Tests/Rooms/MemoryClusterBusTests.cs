using Wschat.Hub.Rooms;
using Xunit.Abstractions;

namespace Wschat.Tests.Rooms;

/// <summary>A single node's cluster bus: every node of a test is the one bus.</summary>
public sealed class MemoryClusterBusTests(ITestOutputHelper output) : ClusterBusSpecification(output)
{
    private readonly MemoryClusterBus<SpecHub> _bus = new();

    private protected override Task<IClusterBus<SpecHub>> CreateNodeAsync() => Task.FromResult<IClusterBus<SpecHub>>(_bus);
}
