namespace Wschat.Hub.Presence;

/// <summary>A member removed from a room because its node died, with the room's counts after.</summary>
public sealed record ExpiredMember(string Room, RoomMember Member, RoomCounts Counts);

/// <summary>
/// Tells the domain about members presence removed on its own (a crashed node's lease expired),
/// so their rooms can be told they left. Presence knows nothing of hubs or sockets.
/// </summary>
public sealed class PresenceDepartures
{
    public event Func<IReadOnlyList<ExpiredMember>, Task>? Expired;

    internal Task ReportAsync(IReadOnlyList<ExpiredMember> members) =>
        members.Count == 0 || Expired is not { } handler ? Task.CompletedTask : handler(members);
}
