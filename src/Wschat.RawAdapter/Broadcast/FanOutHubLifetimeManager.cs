using System.Collections.Concurrent;
using Microsoft.AspNetCore.SignalR;
using Microsoft.AspNetCore.SignalR.Protocol;
using Microsoft.Extensions.DependencyInjection;
using Wschat.RawAdapter.Transport;

namespace Wschat.RawAdapter.Broadcast;

/// <summary>
/// The one-node lifetime manager: SignalR's in-memory one (<see cref="DefaultHubLifetimeManager{THub}"/>)
/// for connections, users and everything else, with group sends done here. A room's broadcast is
/// serialized once per protocol; a raw member gets the finished frame straight into its outbound
/// queue, a SignalR member through its connection as usual. The per-recipient cost of a raw member
/// is one queue append, which lets a burst get ahead of the sockets and leave in large writes.
/// </summary>
internal sealed class FanOutHubLifetimeManager<THub> : HubLifetimeManager<THub>
    where THub : Hub
{
    private readonly DefaultHubLifetimeManager<THub> _inner;
    private readonly HubConnectionStore _connections = new();
    private readonly ConcurrentDictionary<string, ConcurrentDictionary<string, GroupMember>> _groups = new(StringComparer.Ordinal);

    // Membership changes are rare next to sends: one lock keeps a group from vanishing under a joiner.
    private readonly Lock _membership = new();

    public FanOutHubLifetimeManager(IServiceProvider services)
    {
        _inner = ActivatorUtilities.CreateInstance<DefaultHubLifetimeManager<THub>>(services);
    }

    public override Task OnConnectedAsync(HubConnectionContext connection)
    {
        connection.Features.Set(new GroupMemberships());
        _connections.Add(connection);
        return _inner.OnConnectedAsync(connection);
    }

    public override Task OnDisconnectedAsync(HubConnectionContext connection)
    {
        _connections.Remove(connection);
        lock (_membership)
        {
            foreach (var group in connection.Features.Get<GroupMemberships>()?.Names ?? [])
            {
                RemoveLocked(connection.ConnectionId, group);
            }
        }

        return _inner.OnDisconnectedAsync(connection);
    }

    public override Task AddToGroupAsync(string connectionId, string groupName, CancellationToken cancellationToken = default)
    {
        if (_connections[connectionId] is not { } connection)
        {
            return Task.CompletedTask;
        }

        var member = new GroupMember(connection, connection.Features.Get<OutboundQueue>());
        lock (_membership)
        {
            _groups.GetOrAdd(groupName, static _ => new(StringComparer.Ordinal))[connectionId] = member;
            connection.Features.Get<GroupMemberships>()?.Names.Add(groupName);
        }

        return Task.CompletedTask;
    }

    public override Task RemoveFromGroupAsync(string connectionId, string groupName, CancellationToken cancellationToken = default)
    {
        lock (_membership)
        {
            RemoveLocked(connectionId, groupName);
            _connections[connectionId]?.Features.Get<GroupMemberships>()?.Names.Remove(groupName);
        }

        return Task.CompletedTask;
    }

    public override Task SendGroupAsync(string groupName, string methodName, object?[] args, CancellationToken cancellationToken = default) =>
        _groups.TryGetValue(groupName, out var members)
            ? SendAsync(members, Invocation(methodName, args), excluded: null, cancellationToken)
            : Task.CompletedTask;

    public override Task SendGroupExceptAsync(string groupName, string methodName, object?[] args, IReadOnlyList<string> excludedConnectionIds, CancellationToken cancellationToken = default) =>
        _groups.TryGetValue(groupName, out var members)
            ? SendAsync(members, Invocation(methodName, args), excludedConnectionIds, cancellationToken)
            : Task.CompletedTask;

    public override Task SendGroupsAsync(IReadOnlyList<string> groupNames, string methodName, object?[] args, CancellationToken cancellationToken = default)
    {
        var message = Invocation(methodName, args);
        return Task.WhenAll(groupNames.Select(group => _groups.TryGetValue(group, out var members)
            ? SendAsync(members, message, excluded: null, cancellationToken)
            : Task.CompletedTask));
    }

    public override Task SendAllAsync(string methodName, object?[] args, CancellationToken cancellationToken = default) =>
        _inner.SendAllAsync(methodName, args, cancellationToken);

    public override Task SendAllExceptAsync(string methodName, object?[] args, IReadOnlyList<string> excludedConnectionIds, CancellationToken cancellationToken = default) =>
        _inner.SendAllExceptAsync(methodName, args, excludedConnectionIds, cancellationToken);

    public override Task SendConnectionAsync(string connectionId, string methodName, object?[] args, CancellationToken cancellationToken = default) =>
        _inner.SendConnectionAsync(connectionId, methodName, args, cancellationToken);

    public override Task SendConnectionsAsync(IReadOnlyList<string> connectionIds, string methodName, object?[] args, CancellationToken cancellationToken = default) =>
        _inner.SendConnectionsAsync(connectionIds, methodName, args, cancellationToken);

    public override Task SendUserAsync(string userId, string methodName, object?[] args, CancellationToken cancellationToken = default) =>
        _inner.SendUserAsync(userId, methodName, args, cancellationToken);

    public override Task SendUsersAsync(IReadOnlyList<string> userIds, string methodName, object?[] args, CancellationToken cancellationToken = default) =>
        _inner.SendUsersAsync(userIds, methodName, args, cancellationToken);

    public override Task<T> InvokeConnectionAsync<T>(string connectionId, string methodName, object?[] args, CancellationToken cancellationToken) =>
        _inner.InvokeConnectionAsync<T>(connectionId, methodName, args, cancellationToken);

    public override Task SetConnectionResultAsync(string connectionId, CompletionMessage result) =>
        _inner.SetConnectionResultAsync(connectionId, result);

    public override bool TryGetReturnType(string invocationId, [System.Diagnostics.CodeAnalysis.NotNullWhen(true)] out Type? type) =>
        _inner.TryGetReturnType(invocationId, out type);

    private static SerializedHubMessage Invocation(string methodName, object?[] args) => new(new InvocationMessage(methodName, args));

    private static Task SendAsync(ConcurrentDictionary<string, GroupMember> members, SerializedHubMessage message, IReadOnlyList<string>? excluded, CancellationToken cancellationToken)
    {
        List<Task>? pending = null;
        IHubProtocol? framedFor = null;
        ReadOnlyMemory<byte> frame = default;
        foreach (var (connectionId, member) in members)
        {
            if (excluded is not null && excluded.Contains(connectionId))
            {
                continue;
            }

            if (member.RawQueue is { } queue)
            {
                // Raw members share one protocol instance: the frame is looked up once per broadcast.
                if (!ReferenceEquals(framedFor, member.Connection.Protocol))
                {
                    framedFor = member.Connection.Protocol;
                    frame = message.GetSerializedMessage(framedFor);
                }

                queue.TryEnqueue(frame);
                continue;
            }

            var write = member.Connection.WriteAsync(message, cancellationToken);
            if (!write.IsCompletedSuccessfully)
            {
                (pending ??= []).Add(write.AsTask());
            }
        }

        return pending is null ? Task.CompletedTask : Task.WhenAll(pending);
    }

    private void RemoveLocked(string connectionId, string groupName)
    {
        if (_groups.TryGetValue(groupName, out var members) && members.TryRemove(connectionId, out _) && members.IsEmpty)
        {
            _groups.TryRemove(groupName, out _);
        }
    }

    /// <summary>A member as a broadcast needs it: its connection, and its raw queue if it is a raw socket.</summary>
    private readonly record struct GroupMember(HubConnectionContext Connection, OutboundQueue? RawQueue);

    /// <summary>The groups of one connection, to leave them all when it disconnects (guarded by the membership lock).</summary>
    private sealed class GroupMemberships
    {
        public HashSet<string> Names { get; } = new(StringComparer.Ordinal);
    }
}
