using System.Collections.Frozen;

namespace Wschat.Contracts;

/// <summary>
/// The wschat message types. By the protocol's one rule each is a hub method (client to server),
/// a client method (server to client), or both, under the same name. Names are lowercase on every
/// protocol: the .NET SignalR client matches handlers ordinally; the hub binds case-insensitively.
/// </summary>
public static class WschatMethods
{
    /// <summary>Server to client, once on connect.</summary>
    public const string SetUserId = "setuserid";
    public const string Hello = "hello";

    /// <summary>Client to server: enter a room.</summary>
    public const string Join = "join";

    /// <summary>Client to server: leave the room.</summary>
    public const string Leave = "leave";

    /// <summary>Server to client: joinroom, leaveroom, login and logout in the room.</summary>
    public const string Event = "event";
    public const string Danmu = "danmu";
    public const string Text = "text";
    public const string Login = "login";
    public const string Logout = "logout";
    public const string UserList = "userlist";
    public const string SendTo = "sendto";

    /// <summary>Client to server, admin only: replace the prohibited-word list.</summary>
    public const string SetBadWords = "setbadwords";

    /// <summary>Server to client: a refused or bad message.</summary>
    public const string Error = "error";

    /// <summary>Both ways: ask for the room's recent danmu and text; the reply.</summary>
    public const string History = "history";

    /// <summary>Server to client, to connections that joined with <c>offsets</c>: the next room message's place.</summary>
    public const string Offset = "offset";

    /// <summary>The payload record of every client method (a message the server sends), by name.</summary>
    public static readonly IReadOnlyDictionary<string, Type> ServerPayloadTypes = new Dictionary<string, Type>
    {
        [SetUserId] = typeof(SetUserIdMessage),
        [Hello] = typeof(HelloMessage),
        [Event] = typeof(RoomEvent),
        [Danmu] = typeof(DanmuMessage),
        [Text] = typeof(ChatMessage),
        [Login] = typeof(ResultMessage),
        [Logout] = typeof(ResultMessage),
        [UserList] = typeof(UserListMessage),
        [SendTo] = typeof(ChatMessage),
        [Error] = typeof(ErrorMessage),
        [History] = typeof(HistoryMessage),
        [Offset] = typeof(OffsetMessage),
    }.ToFrozenDictionary(StringComparer.Ordinal);
}

/// <summary>The <c>event</c> names of <see cref="RoomEvent"/>.</summary>
public static class RoomEventNames
{
    public const string JoinRoom = "joinroom";
    public const string LeaveRoom = "leaveroom";
    public const string Login = "login";
    public const string Logout = "logout";
}
