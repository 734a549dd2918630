using System.Collections.Concurrent;
using System.Diagnostics.CodeAnalysis;
using Microsoft.AspNetCore.SignalR;
using Microsoft.AspNetCore.SignalR.Protocol;
using Wschat.Hub.Backplane;
using Wschat.RawAdapter.Outbound;

namespace Wschat.Hub.Rooms;

/// <summary>
/// The hub's one lifetime manager, on a single node and in a cluster alike. Rooms (groups) are its
/// own: a room send is serialized once and handed to the <see cref="IRoomBroker"/>, which numbers it
/// and brings it to every node with members there; each node appends it to its members' bounded
/// outboxes (<see cref="RoomFanOut"/>). Sends to this node's connections take the outboxes too, so
/// nothing here waits for a socket. What is not a room (users, connections elsewhere, everyone,
/// client results) goes through SignalR's Redis backplane in a cluster, see <see cref="ResilientHubLifetimeManager{THub}"/>.
/// </summary>
internal sealed class RoomHubLifetimeManager<THub> : HubLifetimeManager<THub>
    where THub : Microsoft.AspNetCore.SignalR.Hub
{
    private readonly IRoomBroker _broker;
    private readonly ConnectionOutboxes _outboxes;
    private readonly ILogger _logger;

    // Null on a single node: users and everyone are then this node's connections.
    private readonly ResilientHubLifetimeManager<THub>? _cluster;
    private readonly HubLifetimeManager<THub> _nonRoom;
    private readonly ConcurrentDictionary<string, LocalConnection> _connections = new(StringComparer.Ordinal);
    // A single node's uid index for private messages (a cluster routes them through SignalR's backplane).
    private readonly ConcurrentDictionary<string, LocalConnection[]> _users = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, LocalRoom> _rooms = new(StringComparer.Ordinal);

    // Joins and leaves are rare next to sends: one lock keeps a room from emptying under a joiner.
    private readonly Lock _membership = new();

    public RoomHubLifetimeManager(IServiceProvider services, IRoomBroker broker, ConnectionOutboxes outboxes, ILogger<RoomHubLifetimeManager<THub>> logger)
    {
        _broker = broker;
        _outboxes = outboxes;
        _logger = logger;
        _cluster = services.GetService<ResilientHubLifetimeManager<THub>>();
        _nonRoom = _cluster ?? (HubLifetimeManager<THub>)ActivatorUtilities.CreateInstance<DefaultHubLifetimeManager<THub>>(services);
    }

    public override Task OnConnectedAsync(HubConnectionContext connection)
    {
        var local = new LocalConnection(connection.ConnectionId, connection.Protocol, _outboxes.Create(connection));
        _connections[connection.ConnectionId] = local;
        if (_cluster is null && connection.UserIdentifier is { } user)
        {
            lock (_membership)
            {
                _users[user] = _users.TryGetValue(user, out var others) ? [.. others, local] : [local];
            }
        }

        return _nonRoom.OnConnectedAsync(connection);
    }

    public override async Task OnDisconnectedAsync(HubConnectionContext connection)
    {
        if (_connections.TryRemove(connection.ConnectionId, out var local))
        {
            string[] rooms;
            lock (_membership)
            {
                rooms = [.. local.Rooms];
                if (connection.UserIdentifier is { } user && _users.TryGetValue(user, out var all))
                {
                    var rest = CopyOnWriteArray.Without(all, local);
                    if (rest.Length == 0)
                    {
                        _users.TryRemove(user, out _);
                    }
                    else
                    {
                        _users[user] = rest;
                    }
                }
            }

            foreach (var room in rooms)
            {
                await LeaveAsync(local, room);
            }
        }

        await _nonRoom.OnDisconnectedAsync(connection);
    }

    /// <summary>Adds a connection of this node; once this completes, the room's messages reach it.</summary>
    public override async Task AddToGroupAsync(string connectionId, string groupName, CancellationToken cancellationToken = default)
    {
        if (!_connections.TryGetValue(connectionId, out var member))
        {
            return;
        }

        Task<IAsyncDisposable> subscription;
        lock (_membership)
        {
            if (!_rooms.TryGetValue(groupName, out var room))
            {
                room = new LocalRoom(groupName);
                room.Subscription = _broker.SubscribeAsync(groupName, room, CancellationToken.None);
                _rooms[groupName] = room;
            }

            if (member.TryEnter(groupName))
            {
                room.Add(member);
            }

            subscription = room.Subscription!;
        }

        await subscription.WaitAsync(cancellationToken);
    }

    public override Task RemoveFromGroupAsync(string connectionId, string groupName, CancellationToken cancellationToken = default) =>
        _connections.TryGetValue(connectionId, out var member) ? LeaveAsync(member, groupName) : Task.CompletedTask;

    public override Task SendGroupAsync(string groupName, string methodName, object?[] args, CancellationToken cancellationToken = default)
    {
        _broker.Publish(groupName, new RoomMessage(Serialize(methodName, args)));
        return Task.CompletedTask;
    }

    public override Task SendGroupExceptAsync(string groupName, string methodName, object?[] args, IReadOnlyList<string> excludedConnectionIds, CancellationToken cancellationToken = default)
    {
        _broker.Publish(groupName, new RoomMessage(Serialize(methodName, args), excludedConnectionIds));
        return Task.CompletedTask;
    }

    public override Task SendGroupsAsync(IReadOnlyList<string> groupNames, string methodName, object?[] args, CancellationToken cancellationToken = default)
    {
        var message = new RoomMessage(Serialize(methodName, args));
        foreach (var groupName in groupNames)
        {
            _broker.Publish(groupName, message);
        }

        return Task.CompletedTask;
    }

    public override Task SendConnectionAsync(string connectionId, string methodName, object?[] args, CancellationToken cancellationToken = default)
    {
        if (_connections.TryGetValue(connectionId, out var local))
        {
            local.TryEnqueue(Serialize(methodName, args));
            return Task.CompletedTask;
        }

        return _cluster?.SendConnectionAsync(connectionId, methodName, args, cancellationToken) ?? Task.CompletedTask;
    }

    public override Task SendConnectionsAsync(IReadOnlyList<string> connectionIds, string methodName, object?[] args, CancellationToken cancellationToken = default)
    {
        var message = Serialize(methodName, args);
        List<string>? elsewhere = null;
        foreach (var connectionId in connectionIds)
        {
            if (_connections.TryGetValue(connectionId, out var local))
            {
                local.TryEnqueue(message);
            }
            else
            {
                (elsewhere ??= []).Add(connectionId);
            }
        }

        return elsewhere is not null && _cluster is not null
            ? _cluster.SendConnectionsAsync(elsewhere, methodName, args, cancellationToken)
            : Task.CompletedTask;
    }

    public override Task SendAllAsync(string methodName, object?[] args, CancellationToken cancellationToken = default) =>
        SendAllExceptAsync(methodName, args, [], cancellationToken);

    public override Task SendAllExceptAsync(string methodName, object?[] args, IReadOnlyList<string> excludedConnectionIds, CancellationToken cancellationToken = default)
    {
        if (_cluster is not null)
        {
            return _cluster.SendAllExceptAsync(methodName, args, excludedConnectionIds, cancellationToken);
        }

        var message = Serialize(methodName, args);
        foreach (var (connectionId, local) in _connections)
        {
            if (!excludedConnectionIds.Contains(connectionId))
            {
                local.TryEnqueue(message);
            }
        }

        return Task.CompletedTask;
    }

    public override Task SendUserAsync(string userId, string methodName, object?[] args, CancellationToken cancellationToken = default) =>
        SendUsersAsync([userId], methodName, args, cancellationToken);

    public override Task SendUsersAsync(IReadOnlyList<string> userIds, string methodName, object?[] args, CancellationToken cancellationToken = default)
    {
        if (_cluster is not null)
        {
            return _cluster.SendUsersAsync(userIds, methodName, args, cancellationToken);
        }

        var message = Serialize(methodName, args);
        foreach (var userId in userIds)
        {
            foreach (var local in _users.GetValueOrDefault(userId) ?? [])
            {
                local.TryEnqueue(message);
            }
        }

        return Task.CompletedTask;
    }

    public override Task<T> InvokeConnectionAsync<T>(string connectionId, string methodName, object?[] args, CancellationToken cancellationToken) =>
        _nonRoom.InvokeConnectionAsync<T>(connectionId, methodName, args, cancellationToken);

    public override Task SetConnectionResultAsync(string connectionId, CompletionMessage result) =>
        _nonRoom.SetConnectionResultAsync(connectionId, result);

    public override bool TryGetReturnType(string invocationId, [NotNullWhen(true)] out Type? type) =>
        _nonRoom.TryGetReturnType(invocationId, out type);

    private static SerializedHubMessage Serialize(string methodName, object?[] args) => new(new InvocationMessage(methodName, args));

    /// <summary>Takes a member out of a room; the last one out ends this node's subscription.</summary>
    private async Task LeaveAsync(LocalConnection member, string groupName)
    {
        LocalRoom? emptied = null;
        lock (_membership)
        {
            if (!member.TryLeave(groupName) || !_rooms.TryGetValue(groupName, out var room))
            {
                return;
            }

            room.Remove(member);
            if (room.IsEmpty)
            {
                _rooms.TryRemove(groupName, out _);
                emptied = room;
            }
        }

        if (emptied?.Subscription is { } subscription)
        {
            try
            {
                await (await subscription).DisposeAsync();
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                RoomsLog.LeaveFailed(_logger, groupName, ex);
            }
        }
    }
}
