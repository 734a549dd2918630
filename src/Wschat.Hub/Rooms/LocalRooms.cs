using System.Collections.Concurrent;
using System.Diagnostics.CodeAnalysis;
using Microsoft.Extensions.Options;

namespace Wschat.Hub.Rooms;

/// <summary>
/// This node's rooms of one hub: those it has members in, no more than <see cref="RoomLimitsOptions.MaxRooms"/>.
/// The lifetime manager adds and removes them under its membership lock; the hub asks, before a join, whether
/// a room can be entered.
/// </summary>
internal sealed class LocalRooms<THub>(IOptions<RoomLimitsOptions> limits) : IRoomAdmission
    where THub : Microsoft.AspNetCore.SignalR.Hub
{
    private readonly ConcurrentDictionary<string, LocalRoom> _rooms = new(StringComparer.Ordinal);
    private readonly int _maxRooms = limits.Value.MaxRooms;

    // _rooms.Count, kept under the membership lock (the dictionary's own count takes all its locks).
    private int _count;

    public bool CanEnter(string room) => Volatile.Read(ref _count) < _maxRooms || _rooms.ContainsKey(room);

    public bool TryGet(string name, [NotNullWhen(true)] out LocalRoom? room) => _rooms.TryGetValue(name, out room);

    /// <summary>Call under the membership lock.</summary>
    /// <exception cref="RoomLimitReachedException">This node holds <see cref="RoomLimitsOptions.MaxRooms"/> already.</exception>
    public void Add(LocalRoom room)
    {
        if (_count >= _maxRooms)
        {
            throw new RoomLimitReachedException(_maxRooms);
        }

        _rooms[room.Name] = room;
        _count++;
    }

    /// <summary>Call under the membership lock, for a room that was added.</summary>
    public void Remove(LocalRoom room)
    {
        _rooms.TryRemove(room.Name, out _);
        _count--;
    }
}

/// <summary>A join to a room new to this node, which has members in <see cref="RoomLimitsOptions.MaxRooms"/> rooms already.</summary>
internal sealed class RoomLimitReachedException(int maxRooms) : Exception($"This node has members in {maxRooms} rooms, its limit (Wschat:Limits:MaxRooms).");
