using Microsoft.AspNetCore.SignalR;
using Microsoft.AspNetCore.SignalR.StackExchangeRedis;
using StackExchange.Redis;
using Wschat.Hub.Redis;

namespace Wschat.Hub.Backplane;

/// <summary>
/// What is not a room, in a cluster: users (private messages), connections on other nodes, everyone
/// and client results go through SignalR's Redis backplane (<see cref="RedisHubLifetimeManager{THub}"/>),
/// with a local fallback. While Redis is up, sends are published without making the sender wait for
/// Redis; while it is down, they are delivered to this node's own connections. Connections are
/// re-registered with the backplane when Redis returns. Rooms never come here: they take the room
/// broker (<see cref="Rooms.RoomHubLifetimeManager{THub}"/>).
/// </summary>
internal sealed class ResilientHubLifetimeManager<THub> : HubLifetimeManager<THub>, IDisposable
    where THub : Microsoft.AspNetCore.SignalR.Hub
{
    private readonly RedisHubLifetimeManager<THub> _cluster;
    private readonly DefaultHubLifetimeManager<THub> _local;
    private readonly RedisConnection _redis;
    private readonly ILogger _logger;
    private readonly HubConnectionStore _connections = new();
    private int _resyncNeeded;

    public ResilientHubLifetimeManager(IServiceProvider services, RedisConnection redis, RedisRecovery recovery, ILogger<ResilientHubLifetimeManager<THub>> logger)
    {
        _cluster = ActivatorUtilities.CreateInstance<RedisHubLifetimeManager<THub>>(services);
        _local = ActivatorUtilities.CreateInstance<DefaultHubLifetimeManager<THub>>(services);
        _redis = redis;
        _logger = logger;
        recovery.OnRestored("backplane", _ => ResyncAsync());
    }

    public override async Task OnConnectedAsync(HubConnectionContext connection)
    {
        _connections.Add(connection);
        await _local.OnConnectedAsync(connection);
        await ClusterAsync(_cluster.OnConnectedAsync(connection));
    }

    public override async Task OnDisconnectedAsync(HubConnectionContext connection)
    {
        _connections.Remove(connection);
        await _local.OnDisconnectedAsync(connection);
        await ClusterAsync(_cluster.OnDisconnectedAsync(connection));
    }

    public override Task AddToGroupAsync(string connectionId, string groupName, CancellationToken cancellationToken = default) =>
        throw RoomsElsewhere();

    public override Task RemoveFromGroupAsync(string connectionId, string groupName, CancellationToken cancellationToken = default) =>
        throw RoomsElsewhere();

    public override Task SendAllAsync(string methodName, object?[] args, CancellationToken cancellationToken = default) =>
        RouteAsync((methodName, args), static (m, s, ct) => m.SendAllAsync(s.methodName, s.args, ct), cancellationToken);

    public override Task SendAllExceptAsync(string methodName, object?[] args, IReadOnlyList<string> excludedConnectionIds, CancellationToken cancellationToken = default) =>
        RouteAsync((methodName, args, excludedConnectionIds), static (m, s, ct) => m.SendAllExceptAsync(s.methodName, s.args, s.excludedConnectionIds, ct), cancellationToken);

    public override Task SendConnectionAsync(string connectionId, string methodName, object?[] args, CancellationToken cancellationToken = default) =>
        RouteAsync((connectionId, methodName, args), static (m, s, ct) => m.SendConnectionAsync(s.connectionId, s.methodName, s.args, ct), cancellationToken);

    public override Task SendConnectionsAsync(IReadOnlyList<string> connectionIds, string methodName, object?[] args, CancellationToken cancellationToken = default) =>
        RouteAsync((connectionIds, methodName, args), static (m, s, ct) => m.SendConnectionsAsync(s.connectionIds, s.methodName, s.args, ct), cancellationToken);

    public override Task SendGroupAsync(string groupName, string methodName, object?[] args, CancellationToken cancellationToken = default) =>
        throw RoomsElsewhere();

    public override Task SendGroupsAsync(IReadOnlyList<string> groupNames, string methodName, object?[] args, CancellationToken cancellationToken = default) =>
        throw RoomsElsewhere();

    public override Task SendGroupExceptAsync(string groupName, string methodName, object?[] args, IReadOnlyList<string> excludedConnectionIds, CancellationToken cancellationToken = default) =>
        throw RoomsElsewhere();

    public override Task SendUserAsync(string userId, string methodName, object?[] args, CancellationToken cancellationToken = default) =>
        RouteAsync((userId, methodName, args), static (m, s, ct) => m.SendUserAsync(s.userId, s.methodName, s.args, ct), cancellationToken);

    public override Task SendUsersAsync(IReadOnlyList<string> userIds, string methodName, object?[] args, CancellationToken cancellationToken = default) =>
        RouteAsync((userIds, methodName, args), static (m, s, ct) => m.SendUsersAsync(s.userIds, s.methodName, s.args, ct), cancellationToken);

    private static NotSupportedException RoomsElsewhere() => new("Rooms (groups) go through the room broker, not this backplane.");

    public void Dispose() => _cluster.Dispose();

    /// <summary>
    /// Publishes through Redis without awaiting it (the node hears its own publish back and delivers
    /// locally from there); without Redis, or if the publish fails, delivers to local connections.
    /// </summary>
    private Task RouteAsync<TState>(TState state, Func<HubLifetimeManager<THub>, TState, CancellationToken, Task> send, CancellationToken cancellationToken)
    {
        if (!_redis.IsConnected)
        {
            return send(_local, state, cancellationToken);
        }

        var published = send(_cluster, state, cancellationToken);
        if (!published.IsCompletedSuccessfully)
        {
            _ = FallBackIfFailedAsync(published, state, send);
        }

        return Task.CompletedTask;
    }

    private async Task FallBackIfFailedAsync<TState>(Task published, TState state, Func<HubLifetimeManager<THub>, TState, CancellationToken, Task> send)
    {
        try
        {
            await published;
        }
        catch (Exception ex) when (ex is RedisException or TimeoutException)
        {
            BackplaneLog.OperationFailed(_logger, ex);
            await send(_local, state, CancellationToken.None);
        }
    }

    /// <summary>Registration with the backplane; a failure (Redis away) is repaired by <see cref="ResyncAsync"/>.</summary>
    private async Task ClusterAsync(Task registration)
    {
        try
        {
            await registration;
        }
        catch (Exception ex) when (ex is RedisException or TimeoutException)
        {
            BackplaneLog.OperationFailed(_logger, ex);
            Volatile.Write(ref _resyncNeeded, 1);
        }
    }

    /// <summary>
    /// Registers every local connection with the backplane afresh, again while any
    /// registration fails (the subscription link can lag the restored event).
    /// </summary>
    private async Task ResyncAsync()
    {
        for (var attempt = 0; _redis.IsConnected && Interlocked.Exchange(ref _resyncNeeded, 0) == 1; attempt++)
        {
            if (attempt > 0)
            {
                await Task.Delay(RedisConnection.RetryDelay);
            }

            var count = 0;
            foreach (var connection in _connections)
            {
                await ClusterAsync(_cluster.OnDisconnectedAsync(connection));
                await ClusterAsync(_cluster.OnConnectedAsync(connection));

                count++;
            }

            BackplaneLog.Resynced(_logger, count);
        }
    }
}
