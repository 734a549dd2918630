namespace Wschat.Hub.Presence;

/// <summary>
/// Who is where: room membership and counts, logged-in users, and which uids are connected.
/// Counts and user lists come from here, never from scanning connections, so an implementation
/// can hold the whole cluster's state.
/// </summary>
public interface IPresenceStore
{
    /// <summary>Records a connected uid (on connect).</summary>
    ValueTask ConnectAsync(long uid, CancellationToken cancellationToken);

    /// <summary>Forgets a uid (on disconnect, after it left its room).</summary>
    ValueTask DisconnectAsync(long uid, CancellationToken cancellationToken);

    /// <summary>The subset of <paramref name="uids"/> that is connected somewhere.</summary>
    ValueTask<IReadOnlyList<long>> FindConnectedAsync(IReadOnlyList<long> uids, CancellationToken cancellationToken);

    /// <summary>Adds the member to the room; returns the room's counts including it.</summary>
    ValueTask<RoomCounts> JoinAsync(string room, RoomMember member, CancellationToken cancellationToken);

    /// <summary>Removes the member from the room; returns the room's counts without it.</summary>
    ValueTask<RoomCounts> LeaveAsync(string room, long uid, CancellationToken cancellationToken);

    /// <summary>Sets or (with null) clears the member's login in the room; returns the counts after.</summary>
    ValueTask<RoomCounts> SetLoginAsync(string room, long uid, UserLogin? login, CancellationToken cancellationToken);

    /// <summary>The member of the room with that uid (its address and login), or null.</summary>
    ValueTask<RoomMember?> FindMemberAsync(string room, long uid, CancellationToken cancellationToken);

    /// <summary>The room's counts.</summary>
    ValueTask<RoomCounts> GetCountsAsync(string room, CancellationToken cancellationToken);

    /// <summary>Up to <paramref name="limit"/> logged-in members of the room, and their total.</summary>
    ValueTask<LoggedInUsers> GetLoggedInUsersAsync(string room, int limit, CancellationToken cancellationToken);

    /// <summary>
    /// Up to <paramref name="limit"/> rooms with members, in name order, whose names sort after
    /// <paramref name="after"/> ("" for the first page), with their counts.
    /// </summary>
    ValueTask<IReadOnlyList<RoomSummary>> ListRoomsAsync(string after, int limit, CancellationToken cancellationToken);
}
