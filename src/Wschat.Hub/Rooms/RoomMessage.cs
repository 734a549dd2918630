using Microsoft.AspNetCore.SignalR;

namespace Wschat.Hub.Rooms;

/// <summary>
/// A message for a room's members: the invocation, serialized once per protocol and shared by every
/// recipient, and the connections that must not get it.
/// </summary>
internal sealed class RoomMessage(SerializedHubMessage serialized, IReadOnlyList<string>? excludedConnectionIds = null)
{
    public SerializedHubMessage Serialized { get; } = serialized;

    public IReadOnlyList<string>? ExcludedConnectionIds { get; } = excludedConnectionIds is { Count: > 0 } ? excludedConnectionIds : null;
}

/// <summary>A place in a room's stream. Offsets count from 1 within an epoch; a new epoch means the history before it is gone.</summary>
internal readonly record struct RoomPosition(string Epoch, long Offset)
{
    /// <summary>Before anything: reads from the oldest retained message of whatever epoch is current.</summary>
    public static RoomPosition Start { get; } = new("", 0);

    /// <summary>
    /// Whether a reader (a <c>history</c> request, the API's <c>since</c>) may name this offset: 0, before the
    /// first message, or a message's. A negative one names nothing (and is no Redis stream id).
    /// </summary>
    public static bool IsValidOffset(long offset) => offset >= 0;
}

/// <summary>A room message with its place in the room's stream.</summary>
internal readonly record struct RoomPublication(RoomPosition Position, RoomMessage Message);

/// <summary>What a history read found: the room's current epoch and last offset, and the messages read.</summary>
internal sealed record RoomHistory(RoomPosition Last, IReadOnlyList<RoomPublication> Publications);
