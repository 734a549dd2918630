using Microsoft.Extensions.Logging;
using StackExchange.Redis;
using Wschat.Hub.Redis;
using Wschat.Tests.Rooms;

namespace Wschat.Tests.Infrastructure;

/// <summary>
/// A real redis-server started for one test, and the hub's connection to it (with its recovery) of each node
/// the test makes; disposing stops them all.
/// </summary>
internal sealed class RedisNodes : IAsyncDisposable
{
    private readonly ILoggerFactory _logs;
    private readonly List<IDisposable> _owned = [];

    private RedisNodes(RedisServer server, ILoggerFactory logs)
    {
        Server = server;
        _logs = logs;
    }

    public RedisServer Server { get; }

    public static async Task<RedisNodes> StartAsync(ILoggerFactory logs) => new(await RedisServer.StartAsync(), logs);

    /// <summary>A new node's connection, once it reports Redis up: until then the stores answer as if Redis were away.</summary>
    public async Task<RedisNode> ConnectAsync()
    {
        var (connection, recovery) = RedisTestBackplane.Connect(Server.Configuration, _logs);
        lock (_owned)
        {
            _owned.Add(connection);
            _owned.Add(recovery);
        }

        await Eventually.GetAsync(() => Task.FromResult(connection.IsConnected ? "up" : null), TaskTimeouts.Default, "a node's Redis connection");
        return new RedisNode(connection, recovery);
    }

    /// <summary>A plain connection to the server, with admin commands (FLUSHALL).</summary>
    public async Task<ConnectionMultiplexer> AdminAsync() =>
        await ConnectionMultiplexer.ConnectAsync($"{Server.Configuration},allowAdmin=true");

    /// <summary>Empties the server, as a Redis restarted without persistence is.</summary>
    public async Task FlushAllAsync()
    {
        await using var admin = await AdminAsync().DefaultTimeout();
        await admin.GetServer(admin.GetEndPoints()[0]).FlushAllDatabasesAsync().DefaultTimeout();
    }

    public async ValueTask DisposeAsync()
    {
        lock (_owned)
        {
            for (var i = _owned.Count - 1; i >= 0; i--)
            {
                _owned[i].Dispose();
            }
        }

        await Server.DisposeAsync();
    }
}

/// <summary>One node's Redis connection and the recovery it hands Redis's returns to.</summary>
internal sealed record RedisNode(RedisConnection Connection, RedisRecovery Recovery);
