using Microsoft.AspNetCore.SignalR;
using Microsoft.AspNetCore.SignalR.Protocol;

namespace Wschat.Hub.Rooms;

/// <summary>
/// A message for a room's members: the invocation, serialized once per protocol and shared by every
/// recipient, and the connections that must not get it.
/// </summary>
internal sealed class RoomMessage(SerializedHubMessage serialized, IReadOnlyList<string>? excludedConnectionIds = null, bool isKept = false)
{
    public SerializedHubMessage Serialized { get; } = serialized;

    public IReadOnlyList<string>? ExcludedConnectionIds { get; } = excludedConnectionIds is { Count: > 0 } ? excludedConnectionIds : null;

    /// <summary>
    /// True for danmu and text: the room numbers them and keeps them as its history. Anything else
    /// (membership events) is neither: it reaches the members in the room's order, at the place of the
    /// kept message before it, and leaves nothing behind. Set by the publishing node; a message read
    /// back from a broker does not carry it.
    /// </summary>
    public bool IsKept { get; } = isKept;

    /// <summary>A room send of the invocation: kept and numbered when it is danmu or text.</summary>
    public static RoomMessage ToRoom(string methodName, object?[] args, IReadOnlyList<string>? excludedConnectionIds = null) =>
        new(Serialize(methodName, args), excludedConnectionIds, RoomHistoryReplies.Keeps(methodName));

    /// <summary>The invocation, to be serialized once per protocol when the first recipient of each asks.</summary>
    public static SerializedHubMessage Serialize(string methodName, object?[] args) => new(new InvocationMessage(methodName, args));
}

/// <summary>
/// A place in a room's stream. Offsets count the kept messages from 1 within an epoch; a new epoch means
/// the history before it is gone. A room that keeps nothing is at <see cref="Start"/> (no epoch).
/// </summary>
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
