using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;
using StackExchange.Redis;
using Wschat.Hub.Identity;
using Wschat.Hub.Redis;
using Wschat.Hub.Rooms;
using Wschat.Tests.Infrastructure;

namespace Wschat.Tests.Rooms;

/// <summary>
/// What several nodes of one cluster share (nothing, or one Redis), and the room broker of each
/// node. Two brokers made by one backplane are two nodes in one process.
/// </summary>
internal abstract class RoomTestBackplane : IAsyncDisposable
{
    /// <summary>The broker of a new node; every node of a test gets the same <paramref name="history"/>.</summary>
    public abstract IRoomBroker CreateNode(RoomHistoryOptions history);

    /// <summary>Returns once the room's history, last at <paramref name="last"/>, has expired (idle for the TTL).</summary>
    public abstract Task LetHistoryExpireAsync(IRoomBroker node, string room, RoomPosition last, RoomHistoryOptions history);

    /// <summary>The cluster bus of the node whose broker is <paramref name="node"/>.</summary>
    public abstract IClusterBus<THub> CreateClusterBus<THub>(IRoomBroker node)
        where THub : Microsoft.AspNetCore.SignalR.Hub;

    /// <summary>How many nodes are subscribed to the room's channel; null where the backplane cannot tell.</summary>
    public virtual Task<long?> CountNodesListeningAsync(string room) => Task.FromResult<long?>(null);

    /// <summary>How many keys the shared store holds for the room; null where there is no such store.</summary>
    public virtual Task<int?> CountRoomKeysAsync(string room) => Task.FromResult<int?>(null);

    public abstract ValueTask DisposeAsync();
}

/// <summary>One process, one in-memory broker: every "node" is that broker. Time is fake.</summary>
internal sealed class MemoryTestBackplane : RoomTestBackplane
{
    private MemoryRoomBroker? _broker;

    public FakeTimeProvider Time { get; } = new();

    public override IRoomBroker CreateNode(RoomHistoryOptions history) =>
        _broker ??= new MemoryRoomBroker(Options.Create(history), Options.Create(new RoomLimitsOptions()), Time, NullLogger<MemoryRoomBroker>.Instance);

    public override IClusterBus<THub> CreateClusterBus<THub>(IRoomBroker node) => new MemoryClusterBus<THub>();

    public override Task LetHistoryExpireAsync(IRoomBroker node, string room, RoomPosition last, RoomHistoryOptions history)
    {
        Time.Advance(TimeSpan.FromSeconds(history.TtlSeconds));
        return Task.CompletedTask;
    }

    public override ValueTask DisposeAsync()
    {
        _broker?.Dispose();
        return ValueTask.CompletedTask;
    }
}

/// <summary>A real redis-server; each node is a <see cref="RedisRoomBroker"/> on its own connection to it.</summary>
internal sealed class RedisTestBackplane(RedisServer server, ILoggerFactory logs) : RoomTestBackplane
{
    // Tests start nodes from several threads at once.
    private readonly Lock _gate = new();
    private readonly List<IDisposable> _owned = [];
    private readonly Dictionary<IRoomBroker, (RedisConnection Connection, RedisRecovery Recovery)> _nodes = [];
    private readonly RoomMessageCodec _codec = new(new JsonOnlyProtocolResolver());

    public RedisServer Server { get; } = server;

    public const string Prefix = "wschat";

    public static async Task<RedisTestBackplane> StartAsync(ILoggerFactory logs) => new(await RedisServer.StartAsync(), logs);

    /// <summary>The one place the tests make the hub's Redis connection, with its recovery.</summary>
    public static (RedisConnection Connection, RedisRecovery Recovery) Connect(string configuration, ILoggerFactory logs)
    {
        var recovery = new RedisRecovery(TimeProvider.System, logs.CreateLogger<RedisRecovery>());
        return (new(Options.Create(new RedisConnectionOptions { Redis = configuration, RedisPrefix = Prefix }), recovery, TestMetrics.Wschat, logs.CreateLogger<RedisConnection>()), recovery);
    }

    /// <summary>The room's channel as Redis names it.</summary>
    public static string ChannelName(string room) => $"{Prefix}:{RedisRoomName.Of(room)}";

    public override IRoomBroker CreateNode(RoomHistoryOptions history) => CreateNode(history, out _);

    /// <summary>The broker of a new node, once its connection reports Redis up.</summary>
    public async Task<IRoomBroker> CreateConnectedNodeAsync(RoomHistoryOptions history)
    {
        var broker = CreateNode(history, out var connection);
        await Eventually.GetAsync(() => Task.FromResult(connection.IsConnected ? "up" : null), TimeSpan.FromSeconds(30), "a node's Redis connection");
        return broker;
    }

    /// <summary>Returns once the node's connection reports Redis down (it reads its links twice before it says so).</summary>
    public Task WaitUntilDownAsync(IRoomBroker node) =>
        Eventually.GetAsync(() => Task.FromResult(NodeOf(node).Connection.IsConnected ? null : "down"), TimeSpan.FromSeconds(30), "a node seeing Redis down");

    private RedisRoomBroker CreateNode(RoomHistoryOptions history, out RedisConnection connection)
    {
        (connection, var recovery) = Connect(Server.Configuration, logs);
        var broker = new RedisRoomBroker(connection, recovery, _codec, Options.Create(history), TimeProvider.System, new NodeIdentity(), TestMetrics.Wschat, logs.CreateLogger<RedisRoomBroker>());
        lock (_gate)
        {
            _owned.Add(connection);
            _owned.Add(recovery);
            _nodes[broker] = (connection, recovery);
        }

        return broker;
    }

    private (RedisConnection Connection, RedisRecovery Recovery) NodeOf(IRoomBroker node)
    {
        lock (_gate)
        {
            return _nodes[node];
        }
    }

    public override IClusterBus<THub> CreateClusterBus<THub>(IRoomBroker node)
    {
        var (connection, recovery) = NodeOf(node);
        return new RedisClusterBus<THub>(connection, recovery, _codec, new NodeIdentity(), logs.CreateLogger<RedisClusterBus<THub>>());
    }

    public override async Task LetHistoryExpireAsync(IRoomBroker node, string room, RoomPosition last, RoomHistoryOptions history) =>
        await Eventually.GetAsync(
            async () => (await node.ReadHistoryAsync(room, last, 1, CancellationToken.None)).Last.Epoch != last.Epoch ? "expired" : null,
            TimeSpan.FromSeconds(history.TtlSeconds + 15),
            $"the history of {room} expiring");

    public override async Task<long?> CountNodesListeningAsync(string room)
    {
        await using var admin = await AdminAsync();
        var reply = (RedisResult[])(await admin.GetDatabase().ExecuteAsync("PUBSUB", "NUMSUB", ChannelName(room)))!;
        return (long)reply[1];
    }

    public override async Task<int?> CountRoomKeysAsync(string room)
    {
        await using var admin = await AdminAsync();
        return await admin.GetServer(admin.GetEndPoints()[0]).KeysAsync(pattern: $"*{room}*").CountAsync();
    }

    /// <summary>A plain connection to the server, with admin commands (FLUSHALL).</summary>
    public async Task<ConnectionMultiplexer> AdminAsync() =>
        await ConnectionMultiplexer.ConnectAsync($"{Server.Configuration},allowAdmin=true");

    public override async ValueTask DisposeAsync()
    {
        for (var i = _owned.Count - 1; i >= 0; i--)
        {
            _owned[i].Dispose();
        }

        await Server.DisposeAsync();
    }
}
