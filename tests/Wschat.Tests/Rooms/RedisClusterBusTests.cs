using Microsoft.Extensions.Logging;
using Wschat.Hub.Identity;
using Wschat.Hub.Rooms;
using Xunit.Abstractions;

namespace Wschat.Tests.Rooms;

/// <summary>The cluster bus of a cluster: each node's on its own connection to one real redis-server.</summary>
public sealed class RedisClusterBusTests(ITestOutputHelper output) : ClusterBusSpecification(output)
{
    private readonly RoomMessageCodec _codec = new(new JsonOnlyProtocolResolver());

    private protected override bool OnRedis => true;

    private protected override async Task<IClusterBus<SpecHub>> CreateNodeAsync()
    {
        var node = await Redis.ConnectAsync();
        return new RedisClusterBus<SpecHub>(node.Connection, node.Recovery, _codec, new NodeIdentity(), Logs.CreateLogger<RedisClusterBus<SpecHub>>());
    }
}
