using System.Collections.Concurrent;
using System.Diagnostics.CodeAnalysis;
using Microsoft.AspNetCore.SignalR;
using Microsoft.AspNetCore.SignalR.Protocol;
using Wschat.Hub.Diagnostics;
using Wschat.Outbound;
using Wschat.RawAdapter.Protocol;
using Wschat.RawAdapter.Transport;

namespace Wschat.Hub.Rooms;

/// <summary>
/// The hub's one lifetime manager, on a single node and in a cluster alike. Rooms (groups) are its
/// own: a room send is serialized once and handed to the <see cref="IRoomBroker"/>, which numbers it
/// and brings it to every node with members there; each node appends it to its members' bounded
/// outbound queues (<see cref="RoomFanOut"/>). Sends to users, connections and everyone are delivered to this
/// node's connections at once and published once on the <see cref="IClusterBus{THub}"/> for the others.
/// Nothing here waits for a socket. A room is held while this node has members in it, and no more than
/// <see cref="RoomLimitsOptions.MaxRooms"/> of them (<see cref="LocalRooms{THub}"/>).
/// </summary>
internal sealed class RoomHubLifetimeManager<THub> : HubLifetimeManager<THub>
    where THub : Microsoft.AspNetCore.SignalR.Hub
{
    private readonly IRoomBroker _broker;
    private readonly IClusterBus<THub> _cluster;
    private readonly Task _listening;
    private readonly OutboundQueues _queues;
    private readonly WschatMetrics _metrics;
    private readonly ILogger _logger;

    // Client results: only for this node's connections.
    private readonly DefaultHubLifetimeManager<THub> _clientResults;
    private readonly LocalConnections<THub> _connections;
    private readonly ConcurrentDictionary<string, LocalConnection[]> _users = new(StringComparer.Ordinal);
    private readonly LocalRooms<THub> _rooms;

    // Joins and leaves are rare next to sends: one lock keeps a room from emptying under a joiner.
    private readonly Lock _membership = new();

    public RoomHubLifetimeManager(
        IServiceProvider services,
        IRoomBroker broker,
        IClusterBus<THub> cluster,
        LocalConnections<THub> connections,
        LocalRooms<THub> rooms,
        OutboundQueues queues,
        WschatMetrics metrics,
        ILogger<RoomHubLifetimeManager<THub>> logger)
    {
        _broker = broker;
        _cluster = cluster;
        _connections = connections;
        _rooms = rooms;
        _queues = queues;
        _metrics = metrics;
        _logger = logger;
        _clientResults = ActivatorUtilities.CreateInstance<DefaultHubLifetimeManager<THub>>(services);
        _listening = cluster.ListenAsync(DeliverLocally);
    }

    /// <summary>Once this completes, sends from every node reach the connection.</summary>
    public override async Task OnConnectedAsync(HubConnectionContext connection)
    {
        // SignalR lets a client of /hub name any supported protocol, and the wschat protocol must be supported
        // (the backplane serializes for every one). Without the raw transport's framing its frames would reach
        // the parser as the client wrote them, internal records included: refused before the hub sees it.
        if (connection.Protocol.Name == WschatHubProtocol.ProtocolName && !RawConnections.Is(connection.Features))
        {
            throw new HubException("the wschat protocol is served by the raw endpoint only");
        }

        var local = new LocalConnection(connection.ConnectionId, connection.Protocol, _queues.GetOrCreate(connection)) { Connection = connection };
        _connections.Add(local);
        _metrics.ConnectionOpened(connection);
        if (connection.UserIdentifier is { } user)
        {
            lock (_membership)
            {
                _users[user] = _users.TryGetValue(user, out var others) ? [.. others, local] : [local];
            }
        }

        await _clientResults.OnConnectedAsync(connection);
        await _listening;
    }

    public override async Task OnDisconnectedAsync(HubConnectionContext connection)
    {
        if (_connections.TryRemove(connection.ConnectionId, out var local))
        {
            _metrics.ConnectionClosed(connection);
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

        await _clientResults.OnDisconnectedAsync(connection);
    }

    /// <summary>Adds a connection of this node; once this completes, the room's messages reach it.</summary>
    /// <exception cref="RoomLimitReachedException">The room is new to this node, which holds <see cref="RoomLimitsOptions.MaxRooms"/> already.</exception>
    public override async Task AddToGroupAsync(string connectionId, string groupName, CancellationToken cancellationToken = default)
    {
        if (!_connections.TryGet(connectionId, out var member))
        {
            return;
        }

        Task<IAsyncDisposable> subscription;
        lock (_membership)
        {
            if (!_rooms.TryGet(groupName, out var room))
            {
                room = new LocalRoom(groupName, _metrics);
                _rooms.Add(room);
                room.Subscription = _broker.SubscribeAsync(groupName, room, CancellationToken.None);
                _metrics.RoomOpened();
            }

            if (member.TryEnter(groupName))
            {
                room.Add(member);
                _metrics.MemberJoined();
            }

            subscription = room.Subscription!;
        }

        await subscription.WaitAsync(cancellationToken);
    }

    public override Task RemoveFromGroupAsync(string connectionId, string groupName, CancellationToken cancellationToken = default) =>
        _connections.TryGet(connectionId, out var member) ? LeaveAsync(member, groupName) : Task.CompletedTask;

    public override Task SendGroupAsync(string groupName, string methodName, object?[] args, CancellationToken cancellationToken = default)
    {
        _broker.Publish(groupName, RoomMessage.ToRoom(methodName, args));
        return Task.CompletedTask;
    }

    public override Task SendGroupExceptAsync(string groupName, string methodName, object?[] args, IReadOnlyList<string> excludedConnectionIds, CancellationToken cancellationToken = default)
    {
        _broker.Publish(groupName, RoomMessage.ToRoom(methodName, args, excludedConnectionIds));
        return Task.CompletedTask;
    }

    public override Task SendGroupsAsync(IReadOnlyList<string> groupNames, string methodName, object?[] args, CancellationToken cancellationToken = default)
    {
        var message = RoomMessage.ToRoom(methodName, args);
        foreach (var groupName in groupNames)
        {
            _broker.Publish(groupName, message);
        }

        return Task.CompletedTask;
    }

    public override Task SendConnectionAsync(string connectionId, string methodName, object?[] args, CancellationToken cancellationToken = default) =>
        SendConnectionsAsync([connectionId], methodName, args, cancellationToken);

    public override Task SendConnectionsAsync(IReadOnlyList<string> connectionIds, string methodName, object?[] args, CancellationToken cancellationToken = default)
    {
        var message = RoomMessage.Serialize(methodName, args);
        List<string>? elsewhere = null;
        var delivered = 0;
        foreach (var connectionId in connectionIds)
        {
            if (_connections.TryGet(connectionId, out var local))
            {
                local.TryEnqueue(message);
                delivered++;
            }
            else
            {
                (elsewhere ??= []).Add(connectionId);
            }
        }

        _metrics.Delivered(delivered);

        if (elsewhere is not null)
        {
            _cluster.Publish(new ClusterSend(ClusterSendKind.Connections, elsewhere, new RoomMessage(message)));
        }

        return Task.CompletedTask;
    }

    public override Task SendAllAsync(string methodName, object?[] args, CancellationToken cancellationToken = default) =>
        SendAllExceptAsync(methodName, args, [], cancellationToken);

    public override Task SendAllExceptAsync(string methodName, object?[] args, IReadOnlyList<string> excludedConnectionIds, CancellationToken cancellationToken = default) =>
        Send(new ClusterSend(ClusterSendKind.All, [], new RoomMessage(RoomMessage.Serialize(methodName, args), excludedConnectionIds)));

    public override Task SendUserAsync(string userId, string methodName, object?[] args, CancellationToken cancellationToken = default) =>
        SendUsersAsync([userId], methodName, args, cancellationToken);

    public override Task SendUsersAsync(IReadOnlyList<string> userIds, string methodName, object?[] args, CancellationToken cancellationToken = default) =>
        Send(new ClusterSend(ClusterSendKind.Users, userIds, new RoomMessage(RoomMessage.Serialize(methodName, args))));

    public override Task<T> InvokeConnectionAsync<T>(string connectionId, string methodName, object?[] args, CancellationToken cancellationToken) =>
        _clientResults.InvokeConnectionAsync<T>(connectionId, methodName, args, cancellationToken);

    public override Task SetConnectionResultAsync(string connectionId, CompletionMessage result) =>
        _clientResults.SetConnectionResultAsync(connectionId, result);

    public override bool TryGetReturnType(string invocationId, [NotNullWhen(true)] out Type? type) =>
        _clientResults.TryGetReturnType(invocationId, out type);

    /// <summary>This node's connections get it now, the other nodes' soon: the cluster bus hands it to every node's <see cref="DeliverLocally"/>.</summary>
    private Task Send(ClusterSend send)
    {
        _cluster.Publish(send);
        return Task.CompletedTask;
    }

    /// <summary>Hands a send that is not a room, of any node, to the connections of this node it is for.</summary>
    private void DeliverLocally(ClusterSend send)
    {
        var (message, excluded) = (send.Message.Serialized, send.Message.ExcludedConnectionIds);
        var delivered = 0;
        switch (send.Kind)
        {
            case ClusterSendKind.All:
                foreach (var local in _connections.All)
                {
                    if (excluded?.Contains(local.Id) != true)
                    {
                        local.TryEnqueue(message);
                        delivered++;
                    }
                }

                break;
            case ClusterSendKind.Users:
                foreach (var userId in send.Targets)
                {
                    foreach (var local in _users.GetValueOrDefault(userId) ?? [])
                    {
                        local.TryEnqueue(message);
                        delivered++;
                    }
                }

                break;
            case ClusterSendKind.Connections:
                foreach (var connectionId in send.Targets)
                {
                    if (_connections.TryGet(connectionId, out var local))
                    {
                        local.TryEnqueue(message);
                        delivered++;
                    }
                }

                break;
            case ClusterSendKind.Kick:
                Kick(send.Targets[0], send.Targets[1], message);
                break;
        }

        _metrics.Delivered(delivered);
    }

    private void Kick(string room, string userId, SerializedHubMessage farewell)
    {
        List<LocalConnection> members = [];
        lock (_membership)
        {
            foreach (var local in _users.GetValueOrDefault(userId) ?? [])
            {
                if (local.Rooms.Contains(room))
                {
                    members.Add(local);
                }
            }
        }

        foreach (var member in members)
        {
            _ = member.CloseAsync(farewell);
        }
    }

    /// <summary>Takes a member out of a room; the last one out ends this node's subscription.</summary>
    private async Task LeaveAsync(LocalConnection member, string groupName)
    {
        LocalRoom? emptied = null;
        lock (_membership)
        {
            if (!member.TryLeave(groupName) || !_rooms.TryGet(groupName, out var room))
            {
                return;
            }

            room.Remove(member);
            _metrics.MemberLeft();
            if (room.IsEmpty)
            {
                _rooms.Remove(room);
                _metrics.RoomClosed();
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
