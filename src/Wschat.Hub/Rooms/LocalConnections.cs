using System.Collections.Concurrent;
using System.Diagnostics.CodeAnalysis;

namespace Wschat.Hub.Rooms;

/// <summary>This node's connections of one hub, by id: the lifetime manager's, which the hub asks to send offsets.</summary>
internal sealed class LocalConnections<THub> : IRoomOffsets
    where THub : Microsoft.AspNetCore.SignalR.Hub
{
    private readonly ConcurrentDictionary<string, LocalConnection> _connections = new(StringComparer.Ordinal);

    /// <summary>Every connection, in no order; one added or removed meanwhile may be missed. (Not <c>Values</c>, which locks the whole dictionary to copy it.)</summary>
    public IEnumerable<LocalConnection> All => _connections.Select(static pair => pair.Value);

    public void Add(LocalConnection connection) => _connections[connection.Id] = connection;

    public bool TryRemove(string connectionId, [NotNullWhen(true)] out LocalConnection? connection) => _connections.TryRemove(connectionId, out connection);

    public bool TryGet(string connectionId, [NotNullWhen(true)] out LocalConnection? connection) => _connections.TryGetValue(connectionId, out connection);

    public void SendOffsets(string connectionId)
    {
        if (TryGet(connectionId, out var connection))
        {
            connection.SendOffsets();
        }
    }
}
