namespace Wschat.Contracts;

/// <summary>
/// Client method names: the wschat <c>type</c> of each message the server sends. Targets are
/// lowercase on every protocol because the .NET SignalR client matches handlers ordinally.
/// </summary>
public static class WschatMethods
{
    public const string SetUserId = "setuserid";
    public const string Hello = "hello";
    public const string Event = "event";
    public const string Danmu = "danmu";
    public const string Text = "text";
    public const string Login = "login";
    public const string Logout = "logout";
    public const string UserList = "userlist";
    public const string SendTo = "sendto";
    public const string Error = "error";
}

/// <summary>The <c>event</c> names of <see cref="RoomEvent"/>.</summary>
public static class RoomEventNames
{
    public const string JoinRoom = "joinroom";
    public const string LeaveRoom = "leaveroom";
    public const string Login = "login";
    public const string Logout = "logout";
}

/// <summary>
/// Hub method names: the wschat <c>type</c> of each message a client sends. The hub binds them
/// case-insensitively; clients send them as written here.
/// </summary>
public static class WschatHubMethods
{
    public const string Hello = "hello";
    public const string Join = "join";
    public const string Leave = "leave";
    public const string Danmu = "danmu";
    public const string Text = "text";
    public const string Login = "login";
    public const string Logout = "logout";
    public const string UserList = "userlist";
    public const string SendTo = "sendto";
    public const string SetBadWords = "setbadwords";
}
