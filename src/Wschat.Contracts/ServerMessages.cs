using System.Runtime.Serialization;

namespace Wschat.Contracts;

/// <summary><c>setuserid</c>: sent once on connect.</summary>
[DataContract]
public sealed record SetUserIdMessage
{
    [DataMember(Name = "uid")] public required long Uid { get; init; }

    [DataMember(Name = "ip")] public required string Ip { get; init; }
}

/// <summary><c>hello</c>: the reply to a hello.</summary>
[DataContract]
public sealed record HelloMessage
{
    [DataMember(Name = "server")] public required string Server { get; init; }

    [DataMember(Name = "uid")] public required long Uid { get; init; }

    [DataMember(Name = "ip")] public required string Ip { get; init; }
}

/// <summary>
/// <c>event</c>: joinroom, leaveroom, login or logout in a room. Counts are room totals across
/// the cluster; the login fields are present only on the events that carry them.
/// </summary>
[DataContract]
public sealed record RoomEvent
{
    [DataMember(Name = "event")] public required string Event { get; init; }

    [DataMember(Name = "uid")] public required long Uid { get; init; }

    [DataMember(Name = "username", EmitDefaultValue = false)] public string? Username { get; init; }

    [DataMember(Name = "avatar", EmitDefaultValue = false)] public string? Avatar { get; init; }

    /// <summary>Unix seconds of the login (login events only).</summary>
    [DataMember(Name = "time", EmitDefaultValue = false)] public long? Time { get; init; }

    [DataMember(Name = "userid", EmitDefaultValue = false)] public string? UserId { get; init; }

    [DataMember(Name = "userinfo", EmitDefaultValue = false)] public string? UserInfo { get; init; }

    [DataMember(Name = "userscount")] public required int UsersCount { get; init; }

    [DataMember(Name = "loginedcount")] public required int LoginedCount { get; init; }

    [DataMember(Name = "ip")] public required string Ip { get; init; }
}

/// <summary><c>danmu</c>: a barrage message to the room.</summary>
[DataContract]
public sealed record DanmuMessage
{
    [DataMember(Name = "text")] public required string Text { get; init; }

    /// <summary>The sender's uid, as a string of digits.</summary>
    [DataMember(Name = "uid")] public required string Uid { get; init; }

    [DataMember(Name = "avatar")] public required string Avatar { get; init; }

    [DataMember(Name = "username")] public required string Username { get; init; }
}

/// <summary>
/// <c>text</c> (to the room) and <c>sendto</c> (to addressees): a chat message. <c>userid</c> and
/// <c>userinfo</c> are present when the sender is logged in.
/// </summary>
[DataContract]
public sealed record ChatMessage
{
    [DataMember(Name = "text")] public required string Text { get; init; }

    /// <summary>The sender's uid, as a string of digits.</summary>
    [DataMember(Name = "uid")] public required string Uid { get; init; }

    [DataMember(Name = "userid", EmitDefaultValue = false)] public string? UserId { get; init; }

    [DataMember(Name = "avatar")] public required string Avatar { get; init; }

    [DataMember(Name = "username")] public required string Username { get; init; }

    [DataMember(Name = "userinfo", EmitDefaultValue = false)] public string? UserInfo { get; init; }
}

/// <summary><c>login</c> / <c>logout</c> reply to the sender.</summary>
[DataContract]
public sealed record ResultMessage
{
    public static readonly ResultMessage Success = new() { Result = "success" };

    [DataMember(Name = "result")] public required string Result { get; init; }
}

/// <summary><c>userlist</c>: the logged-in users of the room; <c>count</c> is the total even when the list is capped.</summary>
[DataContract]
public sealed record UserListMessage
{
    [DataMember(Name = "users")] public required IReadOnlyList<UserListEntry> Users { get; init; }

    [DataMember(Name = "count")] public required int Count { get; init; }
}

/// <summary>One logged-in user; every field is a string (legacy clients expect that).</summary>
[DataContract]
public sealed record UserListEntry
{
    [DataMember(Name = "uid")] public required string Uid { get; init; }

    [DataMember(Name = "ip")] public required string Ip { get; init; }

    /// <summary>Unix seconds of the login, as a string.</summary>
    [DataMember(Name = "time")] public required string Time { get; init; }

    [DataMember(Name = "avatar")] public required string Avatar { get; init; }

    [DataMember(Name = "userid")] public required string UserId { get; init; }

    [DataMember(Name = "userinfo")] public required string UserInfo { get; init; }

    [DataMember(Name = "username")] public required string Username { get; init; }
}

/// <summary><c>error</c>: a refused or bad message, to its sender alone.</summary>
[DataContract]
public sealed record ErrorMessage
{
    [DataMember(Name = "code")] public required int Code { get; init; }

    [DataMember(Name = "msg")] public required string Msg { get; init; }
}

/// <summary>
/// <c>offset</c>: the place in the room's stream of the room message that follows it, sent only to
/// connections that joined with <c>offsets</c>. Danmu and text are numbered; an event is at the place
/// of the danmu or text before it (epoch <c>""</c> and offset 0 in a room that keeps none).
/// </summary>
[DataContract]
public sealed record OffsetMessage
{
    /// <summary>The room stream's epoch: a new one means the history before it is gone.</summary>
    [DataMember(Name = "epoch")] public required string Epoch { get; init; }

    [DataMember(Name = "offset")] public required long Offset { get; init; }
}

/// <summary>
/// <c>history</c>: the reply to a history request. <c>epoch</c> and <c>offset</c> are the room stream's
/// current place (the offset of its newest danmu or text; <c>""</c> and 0 in a room that keeps none);
/// <c>recovered</c> is true when <c>messages</c> holds everything after the offset the request gave.
/// </summary>
[DataContract]
public sealed record HistoryMessage
{
    [DataMember(Name = "room")] public required string Room { get; init; }

    [DataMember(Name = "epoch")] public required string Epoch { get; init; }

    [DataMember(Name = "offset")] public required long Offset { get; init; }

    [DataMember(Name = "recovered")] public required bool Recovered { get; init; }

    /// <summary>Oldest first.</summary>
    [DataMember(Name = "messages")] public required IReadOnlyList<HistoryEntry> Messages { get; init; }
}

/// <summary>
/// One danmu or text of a <see cref="HistoryMessage"/>: its offset, its type and the fields it had
/// live (<c>userid</c> and <c>userinfo</c> only on a logged-in sender's text).
/// </summary>
[DataContract]
public sealed record HistoryEntry
{
    [DataMember(Name = "offset")] public required long Offset { get; init; }

    /// <summary><c>danmu</c> or <c>text</c>.</summary>
    [DataMember(Name = "type")] public required string Type { get; init; }

    [DataMember(Name = "text")] public required string Text { get; init; }

    [DataMember(Name = "uid")] public required string Uid { get; init; }

    [DataMember(Name = "userid", EmitDefaultValue = false)] public string? UserId { get; init; }

    [DataMember(Name = "avatar")] public required string Avatar { get; init; }

    [DataMember(Name = "username")] public required string Username { get; init; }

    [DataMember(Name = "userinfo", EmitDefaultValue = false)] public string? UserInfo { get; init; }
}
