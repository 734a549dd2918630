namespace Wschat.Hub.Presence;

/// <summary>Connections in a room, and how many of them are logged in.</summary>
public readonly record struct RoomCounts(int UsersCount, int LoginedCount);

/// <summary>A connection's profile after <c>login</c>; <see cref="Time"/> is Unix seconds.</summary>
public sealed record UserLogin(string Username, string Avatar, string UserId, string UserInfo, long Time)
{
    /// <summary>
    /// <see cref="UserId"/> came from a verified login token (<c>Wschat:Login</c>): mutes and bans may
    /// hold it. Otherwise it is whatever the client sent.
    /// </summary>
    public bool Verified { get; init; }
}

/// <summary>A connection in a room.</summary>
public sealed record RoomMember(long Uid, string Ip, UserLogin? Login);

/// <summary>Logged-in members of a room (possibly capped) and their total.</summary>
public sealed record LoggedInUsers(IReadOnlyList<RoomMember> Users, int Count);

/// <summary>A room with members, and its counts.</summary>
public sealed record RoomSummary(string Room, RoomCounts Counts);
