using System.Diagnostics;
using Wschat.Hub.Diagnostics;

namespace Wschat.Hub.Rooms;

/// <summary>
/// A room's members on this node, and this node's subscription to it. Members change under the
/// manager's membership lock; deliveries read them without one (the array is replaced, never changed).
/// </summary>
internal sealed class LocalRoom(string name, WschatMetrics metrics) : IRoomSubscriber
{
    private LocalConnection[] _members = [];

    public string Name { get; } = name;

    /// <summary>This node's subscription to the room, made when its first member joined.</summary>
    public Task<IAsyncDisposable>? Subscription { get; set; }

    public bool IsEmpty => _members.Length == 0;

    public void Add(LocalConnection member) => _members = [.. _members, member];

    public void Remove(LocalConnection member) => _members = CopyOnWriteArray.Without(_members, member);

    public void OnPublished(IReadOnlyList<RoomPublication> batch)
    {
        var startedAt = Stopwatch.GetTimestamp();
        metrics.Delivered(RoomFanOut.Deliver(Volatile.Read(ref _members), batch));
        metrics.Broadcast(startedAt);
    }
}
