using Microsoft.AspNetCore.SignalR;
using Wschat.Contracts;

namespace Wschat.Hub.Hubs;

/// <summary>The client methods of the hub: for raw clients, the wschat message types the server sends.</summary>
public interface IWschatClient
{
    [HubMethodName(WschatMethods.SetUserId)]
    Task SetUserId(SetUserIdMessage message);

    [HubMethodName(WschatMethods.Hello)]
    Task Hello(HelloMessage message);

    [HubMethodName(WschatMethods.Event)]
    Task Event(RoomEvent message);

    [HubMethodName(WschatMethods.Danmu)]
    Task Danmu(DanmuMessage message);

    [HubMethodName(WschatMethods.Text)]
    Task Text(ChatMessage message);

    [HubMethodName(WschatMethods.Login)]
    Task Login(ResultMessage message);

    [HubMethodName(WschatMethods.Logout)]
    Task Logout(ResultMessage message);

    [HubMethodName(WschatMethods.UserList)]
    Task UserList(UserListMessage message);

    [HubMethodName(WschatMethods.SendTo)]
    Task SendTo(ChatMessage message);

    [HubMethodName(WschatMethods.Error)]
    Task Error(ErrorMessage message);

    [HubMethodName(WschatMethods.History)]
    Task History(HistoryMessage message);

    /// <summary>Sent by the room fan-out (<see cref="Rooms.RoomFanOut"/>) before each room message, to connections that asked.</summary>
    [HubMethodName(WschatMethods.Offset)]
    Task Offset(OffsetMessage message);
}
