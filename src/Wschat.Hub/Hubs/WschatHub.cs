using System.Globalization;
using Microsoft.AspNetCore.SignalR;
using Microsoft.Extensions.Options;
using Wschat.Contracts;
using Wschat.Hub.Diagnostics;
using Wschat.Hub.Identity;
using Wschat.Hub.Moderation;
using Wschat.Hub.Presence;
using Wschat.Hub.Rooms;
using Wschat.RawAdapter.Protocol;
using Wschat.RawAdapter.Transport;

namespace Wschat.Hub.Hubs;

/// <summary>
/// The whole wschat domain, for every protocol: raw wschat clients, SignalR JSON and MessagePack.
/// Rooms are SignalR groups; private messages go by uid through SignalR's user addressing.
/// </summary>
internal sealed class WschatHub(
    IPresenceStore presence,
    WordFilterService words,
    IOptionsMonitor<ChatOptions> options,
    IOptionsMonitor<ChatLimitsOptions> limits,
    PeerAddresses peers,
    UserListReplies userLists,
    LoginTokenVerifier logins,
    IRoomRuleStore roomRules,
    RoomHistoryReplies histories,
    IRoomAdmission admission,
    IRoomOffsets offsets,
    TimeProvider time,
    WschatMetrics metrics,
    ILogger<WschatHub> logger) : Hub<IWschatClient>
{
    private ChatSession Session => ChatSession.Of(Context);

    private ChatLimitsOptions Limits => limits.CurrentValue;

    private bool IsAdmin => Context.User?.IsInRole(AdminTokenAuthenticationHandler.AdminRole) == true;

    public override async Task OnConnectedAsync()
    {
        var session = ChatSession.Start(Context, peers);
        HubLog.Connected(logger, Context.ConnectionId, session.Uid, session.Ip);
        await presence.ConnectAsync(session.Uid, Context.ConnectionAborted);
        await Clients.Caller.SetUserId(new SetUserIdMessage { Uid = session.Uid, Ip = session.Ip });
    }

    public override async Task OnDisconnectedAsync(Exception? exception)
    {
        var session = Session;
        if (session.Room is { } room)
        {
            await LeaveRoomAsync(session, room, tellLeaver: false, CancellationToken.None);
        }

        await presence.DisconnectAsync(session.Uid, CancellationToken.None);
    }

    public Task Hello()
    {
        var session = Session;
        return Clients.Caller.Hello(new HelloMessage { Server = options.CurrentValue.ServerName, Uid = session.Uid, Ip = session.Ip });
    }

    /// <summary>
    /// A raw frame the protocol could not turn into an invocation: answered like a refused message,
    /// and, coming through the hub's filters, counted by the rate limit. Not logged: a flood would flood the log.
    /// Only the raw protocol invokes it. Another client naming it (with a code of its choosing) is answered as a
    /// raw client naming it is: unknown type. Not with a HubException, which SignalR logs as an error each time.
    /// </summary>
    [HubMethodName(WschatHubProtocol.RefusalMethod)]
    public Task Refused(int code, string reason) => RawConnections.Is(Context.Features)
        ? SendErrorAsync(code, reason)
        : SendErrorAsync(ErrorCodes.UnknownType, WschatHubProtocol.UnknownType(WschatHubProtocol.RefusalMethod));

    public async Task Join(JoinRequest request)
    {
        var room = request.Room;
        if (!ChatFields.IsValidRoom(room, Limits.MaxRoomNameLength))
        {
            await RefuseAsync(ErrorCodes.InvalidRoom, $"room must be 1 to {Limits.MaxRoomNameLength} characters, without control characters");
            return;
        }

        if (request.Offsets)
        {
            // Before the join: every room message the connection gets from then on carries its place.
            offsets.SendOffsets(Context.ConnectionId);
        }

        var session = Session;
        var cancellationToken = Context.ConnectionAborted;
        if (session.Room == room)
        {
            var current = await presence.GetCountsAsync(room, cancellationToken);
            await Clients.Caller.Event(MembershipEvent(RoomEventNames.JoinRoom, session, current));
            return;
        }

        if (await IsBannedAsync(session, room))
        {
            await RefuseAsync(ErrorCodes.Banned, "you are banned from this room");
            return;
        }

        // Asked before leaving the current room: a refused switch leaves the member where it was.
        if (!admission.CanEnter(room))
        {
            await RefuseRoomLimitAsync();
            return;
        }

        if (session.Room is { } previous)
        {
            await LeaveRoomAsync(session, previous, tellLeaver: true, cancellationToken);
        }

        try
        {
            await Groups.AddToGroupAsync(Context.ConnectionId, room, cancellationToken);
        }
        catch (RoomLimitReachedException)
        {
            // Other joins took the last places meanwhile.
            await RefuseRoomLimitAsync();
            return;
        }

        session.Room = room;
        var counts = await presence.JoinAsync(room, session.AsMember, cancellationToken);
        HubLog.Joined(logger, session.Uid, room);
        await Clients.Group(room).Event(MembershipEvent(RoomEventNames.JoinRoom, session, counts));
    }

    public async Task Leave()
    {
        var session = Session;
        if (session.Room is not { } room)
        {
            await RefuseAsync(ErrorCodes.NotInRoom, "not in a room");
            return;
        }

        await LeaveRoomAsync(session, room, tellLeaver: true, Context.ConnectionAborted);
    }

    public async Task Danmu(TextRequest request)
    {
        if (await ValidateRoomTextAsync(request.Text) is not { } room)
        {
            return;
        }

        var login = Session.Login;
        await Clients.Group(room).Danmu(ChatPayloads.Danmu(words.Filter(request.Text), Session.UidText, login?.Username, login?.Avatar));
    }

    public async Task Text(TextRequest request)
    {
        if (await ValidateRoomTextAsync(request.Text) is not { } room)
        {
            return;
        }

        await Clients.Group(room).Text(ChatFromSession(words.Filter(request.Text)));
    }

    public async Task SendTo(SendToRequest request)
    {
        if (!await ValidateTextAsync(request.Text))
        {
            return;
        }

        var addressees = ParseAddressees(request.ToUids);
        if (addressees is null)
        {
            await RefuseAsync(ErrorCodes.InvalidAddressees, $"touids must hold 1 to {Limits.MaxSendToAddressees} uids");
            return;
        }

        var connected = await presence.FindConnectedAsync(addressees, Context.ConnectionAborted);
        if (connected.Count == 0)
        {
            return;
        }

        var users = new string[connected.Count];
        for (var i = 0; i < users.Length; i++)
        {
            users[i] = connected[i].ToString(CultureInfo.InvariantCulture);
        }

        await Clients.Users(users).SendTo(ChatFromSession(words.Filter(request.Text)));
    }

    public async Task Login(LoginRequest sent)
    {
        // With verified login, the token's claims stand in for the sent profile, and are checked like it.
        var verification = await logins.VerifyAsync(sent);
        if (verification.Login is not { } request)
        {
            await RefuseAsync(ErrorCodes.LoginRefused, verification.Refusal ?? "");
            return;
        }

        var max = Limits.MaxLoginFieldLength;
        if (!ChatFields.IsValidLoginField(request.Uname, max) || !ChatFields.IsValidLoginField(request.Avatar, max)
            || !ChatFields.IsValidLoginField(request.LoginId, max) || !ChatFields.IsValidLoginField(request.Info, max))
        {
            await RefuseAsync(ErrorCodes.InvalidLogin, $"login fields must be at most {max} characters, without control characters");
            return;
        }

        var session = Session;
        var verified = verification.Verified && request.LoginId.Length > 0;
        if (verified)
        {
            session.VerifiedLoginId = request.LoginId;
        }

        session.Login = new UserLogin(
            words.Filter(request.Uname),
            request.Avatar,
            request.LoginId,
            words.Filter(request.Info),
            time.GetUtcNow().ToUnixTimeSeconds()) { Verified = verified };
        if (session.Room is { } room && await IsBannedAsync(session, room))
        {
            // Someone banned from the room it is in: logged in, but out, as its join would have been refused.
            await Clients.Caller.Login(ResultMessage.Success);
            await LeaveRoomAsync(session, room, tellLeaver: true, Context.ConnectionAborted);
            await RefuseAsync(ErrorCodes.Banned, "you are banned from this room");
            return;
        }

        await AnnounceLoginAsync(session, RoomEventNames.Login, session.Login, () => Clients.Caller.Login(ResultMessage.Success));
    }

    public async Task Logout()
    {
        var session = Session;
        var login = session.Login;
        session.Login = null;
        if (login is null)
        {
            await Clients.Caller.Logout(ResultMessage.Success);
            return;
        }

        await AnnounceLoginAsync(session, RoomEventNames.Logout, login, () => Clients.Caller.Logout(ResultMessage.Success));
    }

    public async Task UserList()
    {
        var room = Session.Room;
        var users = room is null
            ? new LoggedInUsers([], 0)
            : await presence.GetLoggedInUsersAsync(room, options.CurrentValue.UserListLimit, Context.ConnectionAborted);
        await Clients.Caller.UserList(userLists.Create(users, fullAddresses: IsAdmin));
    }

    /// <summary>The current room's recent danmu and text, or what came after the client's last offset.</summary>
    public async Task History(HistoryRequest request)
    {
        if (Session.Room is not { } room)
        {
            await RefuseAsync(ErrorCodes.NotInRoom, "join a room first");
            return;
        }

        if (!RoomPosition.IsValidOffset(request.Offset))
        {
            await RefuseAsync(ErrorCodes.InvalidOffset, "offset must be 0 or more");
            return;
        }

        var reply = await histories.ReadAsync(room, request, Context.ConnectionAborted);
        if (request.Epoch is not null)
        {
            metrics.Resumed(reply.Recovered);
        }

        await Clients.Caller.History(reply);
    }

    /// <summary>Replaces the prohibited-word list: <c>word=replacement</c> lines. Admins only.</summary>
    public async Task SetBadWords(string rules)
    {
        if (!IsAdmin)
        {
            if (Session.FirstAdminRefusal())
            {
                HubLog.Forbidden(logger, Session.Uid);
            }

            await RefuseAsync(ErrorCodes.Forbidden, "setbadwords needs an admin token");
            return;
        }

        try
        {
            await words.ReplaceAsync(rules, Context.ConnectionAborted);
        }
        catch (FormatException ex)
        {
            await RefuseAsync(ErrorCodes.InvalidRules, ex.Message);
        }
    }

    private async Task LeaveRoomAsync(ChatSession session, string room, bool tellLeaver, CancellationToken cancellationToken)
    {
        var counts = await presence.LeaveAsync(room, session.Uid, cancellationToken);
        session.Room = null;
        HubLog.Left(logger, session.Uid, room);

        // Out of the group first, then told directly: a group send that travels through the
        // backplane could otherwise reach this node after the removal and miss the leaver.
        await Groups.RemoveFromGroupAsync(Context.ConnectionId, room, cancellationToken);
        var left = MembershipEvent(RoomEventNames.LeaveRoom, session, counts);
        await Clients.Group(room).Event(left);
        if (tellLeaver)
        {
            await Clients.Caller.Event(left);
        }
    }

    /// <summary>
    /// Records a login or logout in the room's presence, then gives the caller <paramref name="reply"/>, then tells
    /// the room. Presence first: a client told it is logged in (or out) may ask any node for the user list next.
    /// </summary>
    private async Task AnnounceLoginAsync(ChatSession session, string eventName, UserLogin login, Func<Task> reply)
    {
        if (session.Room is not { } room)
        {
            await reply();
            return;
        }

        var counts = await presence.SetLoginAsync(room, session.Uid, session.Login, Context.ConnectionAborted);
        await reply();
        var loggedIn = eventName == RoomEventNames.Login;
        await Clients.Group(room).Event(new RoomEvent
        {
            Event = eventName,
            Uid = session.Uid,
            Username = login.Username,
            Avatar = loggedIn ? login.Avatar : null,
            Time = loggedIn ? login.Time : null,
            UserId = loggedIn ? login.UserId : null,
            UserInfo = loggedIn ? login.UserInfo : null,
            UsersCount = counts.UsersCount,
            LoginedCount = counts.LoginedCount,
            Ip = session.RoomIp,
        });
    }

    private static RoomEvent MembershipEvent(string eventName, ChatSession session, RoomCounts counts) =>
        RoomEvents.Membership(eventName, session.Uid, session.RoomIp, counts);

    private ChatMessage ChatFromSession(string text)
    {
        var session = Session;
        var login = session.Login;
        return ChatPayloads.Chat(text, session.UidText, login?.Username, login?.Avatar, login?.UserId, login?.UserInfo);
    }

    /// <returns>The sender's room when the text may go there; null after refusing it.</returns>
    private async Task<string?> ValidateRoomTextAsync(string text)
    {
        var session = Session;
        if (session.Room is not { } room)
        {
            await RefuseAsync(ErrorCodes.NotInRoom, "join a room first");
            return null;
        }

        if (!await ValidateTextAsync(text))
        {
            return null;
        }

        var rules = await roomRules.GetAsync(room, Context.ConnectionAborted);
        if (rules.Silenced && !IsAdmin)
        {
            await RefuseAsync(ErrorCodes.RoomSilenced, "the room is silenced: only admins may post");
            return null;
        }

        if (rules.IsMuted(session.Uid, session.VerifiedLoginId, time.GetUtcNow()))
        {
            await RefuseAsync(ErrorCodes.Muted, "you are muted in this room");
            return null;
        }

        return room;
    }

    /// <summary>Whether a ban of the room holds the connection's verified login id or address; admins are never banned.</summary>
    private async Task<bool> IsBannedAsync(ChatSession session, string room) =>
        !IsAdmin && (await roomRules.GetAsync(room, Context.ConnectionAborted)).FindBan(session.VerifiedLoginId, session.AddressBlock, time.GetUtcNow()) is not null;

    private async Task<bool> ValidateTextAsync(string text)
    {
        if (ChatFields.IsValidText(text, Limits.MaxTextLength))
        {
            return true;
        }

        await RefuseAsync(ErrorCodes.InvalidText, $"text must be 1 to {Limits.MaxTextLength} characters");
        return false;
    }

    private List<long>? ParseAddressees(IReadOnlyList<string> uids)
    {
        if (uids.Count == 0 || uids.Count > Limits.MaxSendToAddressees)
        {
            return null;
        }

        var sender = Session.Uid;
        var addressees = new List<long>(uids.Count);
        foreach (var text in uids)
        {
            if (!long.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var uid))
            {
                return null;
            }

            if (uid != sender && !addressees.Contains(uid))
            {
                addressees.Add(uid);
            }
        }

        return addressees;
    }

    private Task RefuseRoomLimitAsync() => RefuseAsync(ErrorCodes.RoomLimitReached, "this server holds as many rooms as it may; try another server or an existing room");

    private Task RefuseAsync(int code, string reason)
    {
        HubLog.Refused(logger, Session.Uid, code, reason);
        return SendErrorAsync(code, reason);
    }

    private Task SendErrorAsync(int code, string reason)
    {
        metrics.ErrorSent(code);
        return Clients.Caller.Error(new ErrorMessage { Code = code, Msg = reason });
    }
}
