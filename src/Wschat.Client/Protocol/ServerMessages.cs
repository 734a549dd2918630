using Wschat.Contracts;

namespace Wschat.Client.Protocol;

/// <summary>The payload type of every message the server sends, by wschat type (= SignalR client method).</summary>
internal static class ServerMessages
{
    public static readonly IReadOnlyDictionary<string, Type> PayloadTypes = new Dictionary<string, Type>(StringComparer.Ordinal)
    {
        [WschatMethods.SetUserId] = typeof(SetUserIdMessage),
        [WschatMethods.Hello] = typeof(HelloMessage),
        [WschatMethods.Event] = typeof(RoomEvent),
        [WschatMethods.Danmu] = typeof(DanmuMessage),
        [WschatMethods.Text] = typeof(ChatMessage),
        [WschatMethods.Login] = typeof(ResultMessage),
        [WschatMethods.Logout] = typeof(ResultMessage),
        [WschatMethods.UserList] = typeof(UserListMessage),
        [WschatMethods.SendTo] = typeof(ChatMessage),
        [WschatMethods.Error] = typeof(ErrorMessage),
    };
}
