using Wschat.Client.Requests;
using Wschat.Client.Resume;
using Wschat.Client.Transport;
using Wschat.Contracts;

namespace Wschat.Client;

/// <summary>
/// A typed client of Wschat Hub over SignalR (JSON or MessagePack) or raw wschat, one API for both.
/// Calls that have an answer return it; messages from the room arrive as events (raised on a
/// receive thread: hand long work off). After a dropped connection the client reconnects with
/// backoff and restores its login and room by itself; the server gives the new connection a new uid.
/// Rejoining, it asks the room for what it missed (<see cref="RoomResumed"/>).
/// </summary>
public sealed class WschatClient : IAsyncDisposable
{
    private readonly WschatClientOptions _options;
    private readonly SemaphoreSlim _requests = new(1, 1);

    // Orders what goes on the wire with the hello barriers that tell whose an error is (see PendingReply).
    private readonly SemaphoreSlim _wire = new(1, 1);
    private readonly CancellationTokenSource _disposed = new();

    // Taken by every message received and by closing: once a connection is closed, nothing it still delivers counts.
    private readonly Lock _receiving = new();
    private IWschatConnection? _connection;

    // Under _receiving: the current connection closed. A close while it is opened or restored is acted on
    // by the attempt itself (TryBecomeConnected), which then fails.
    private bool _lost;
    private PendingReply? _pending;
    private LoginRequest? _login;
    private int _reconnecting;

    // Per connection. Under _wire: hellos sent, and whether a fire-and-forget send went since the last barrier.
    private long _hellosSent;
    private bool _unsettled;

    // Per connection, on the receive thread: hello replies received, and the place the next room message has.
    private long _hellosAnswered;
    private RoomPosition? _nextPosition;

    // The place of the last room message raised (kept across reconnects; a danmu or text not after it was
    // raised already), and a rejoined room catching up.
    private RoomPosition? _position;
    private RoomCatchUp? _catchUp;

    public WschatClient(WschatClientOptions options)
    {
        _options = options;
    }

    public WschatClient(Uri serverUri)
        : this(new WschatClientOptions { ServerUri = serverUri })
    {
    }

    /// <summary>The connection changed state (e.g. <see cref="WschatConnectionState.Reconnecting"/>).</summary>
    public event EventHandler<WschatConnectionState>? StateChanged;

    public event EventHandler<DanmuMessage>? DanmuReceived;

    /// <summary>A chat message to the room (<c>text</c>).</summary>
    public event EventHandler<ChatMessage>? TextReceived;

    /// <summary>A private message to this client (<c>sendto</c>).</summary>
    public event EventHandler<ChatMessage>? PrivateMessageReceived;

    /// <summary>joinroom, leaveroom, login and logout in the current room.</summary>
    public event EventHandler<RoomEvent>? RoomEventReceived;

    /// <summary>Every <c>error</c> the server sends, including those of fire-and-forget sends.</summary>
    public event EventHandler<ErrorMessage>? ErrorReceived;

    /// <summary>Rejoined the room after a reconnect; the messages missed meanwhile follow (see <see cref="WschatClientOptions.RecoverMissedMessages"/>).</summary>
    public event EventHandler<RoomResumedEventArgs>? RoomResumed;

    public WschatConnectionState State { get; private set; }

    /// <summary>The uid the server gave this connection (a new one after a reconnect).</summary>
    public long Uid { get; private set; }

    /// <summary>This client's address as the server sees it.</summary>
    public string Ip { get; private set; } = "";

    /// <summary>The room this client is in (and rejoins after a reconnect), or null.</summary>
    public string? Room { get; private set; }

    public async Task ConnectAsync(CancellationToken cancellationToken = default)
    {
        SetState(WschatConnectionState.Connecting);
        try
        {
            await OpenAsync(cancellationToken);
            if (!TryBecomeConnected())
            {
                throw new IOException("The server closed the connection as it opened.");
            }
        }
        catch
        {
            await CloseConnectionAsync();
            SetState(WschatConnectionState.Disconnected);
            throw;
        }
    }

    /// <summary>Enters a room (leaving the current one); returns the joinroom event with the room's counts.</summary>
    public async Task<RoomEvent> JoinAsync(string room, CancellationToken cancellationToken = default)
    {
        if (room != Room)
        {
            lock (_receiving)
            {
                _position = null;
            }
        }

        var request = new JoinRequest { Room = room, Offsets = _options.RecoverMissedMessages };
        var joined = await RequestAsync(WschatMethods.Join, request, IsOwnEvent(RoomEventNames.JoinRoom), cancellationToken);
        Room = room;
        return (RoomEvent)joined;
    }

    /// <summary>Leaves the current room; returns the leaveroom event.</summary>
    public async Task<RoomEvent> LeaveAsync(CancellationToken cancellationToken = default)
    {
        var left = await RequestAsync(WschatMethods.Leave, null, IsOwnEvent(RoomEventNames.LeaveRoom), cancellationToken);
        Room = null;
        return (RoomEvent)left;
    }

    /// <summary>Sends a danmu to the room without waiting (refusals arrive through <see cref="ErrorReceived"/>).</summary>
    public Task SendDanmuAsync(string text, CancellationToken cancellationToken = default) =>
        SendUnansweredAsync(WschatMethods.Danmu, new TextRequest { Text = text }, cancellationToken);

    /// <summary>Sends a chat message to the room without waiting (refusals arrive through <see cref="ErrorReceived"/>).</summary>
    public Task SendTextAsync(string text, CancellationToken cancellationToken = default) =>
        SendUnansweredAsync(WschatMethods.Text, new TextRequest { Text = text }, cancellationToken);

    /// <summary>Sends a private message; completes once the server has taken it (addressees not connected are skipped).</summary>
    public Task SendToAsync(string text, IEnumerable<long> uids, CancellationToken cancellationToken = default) =>
        CommandAsync(WschatMethods.SendTo, new SendToRequest { Text = text, ToUids = [.. uids.Select(static u => u.ToString(System.Globalization.CultureInfo.InvariantCulture))] }, cancellationToken);

    /// <inheritdoc cref="SendToAsync(string, IEnumerable{long}, CancellationToken)"/>
    public Task SendToAsync(string text, params long[] uids) => SendToAsync(text, uids, CancellationToken.None);

    /// <summary>
    /// Attaches a profile to this connection (kept across rooms and reconnects). When the server
    /// verifies logins, set <see cref="LoginRequest.Token"/> to the site's JWT: its claims become the profile.
    /// </summary>
    /// <exception cref="WschatException">Refused: a field too long (4006) or, with verified logins, a missing or bad token (4040).</exception>
    public async Task<ResultMessage> LoginAsync(LoginRequest login, CancellationToken cancellationToken = default)
    {
        var result = (ResultMessage)await RequestAsync(WschatMethods.Login, login, static (type, _) => type == WschatMethods.Login, cancellationToken);
        _login = login;
        return result;
    }

    public async Task<ResultMessage> LogoutAsync(CancellationToken cancellationToken = default)
    {
        var result = (ResultMessage)await RequestAsync(WschatMethods.Logout, null, static (type, _) => type == WschatMethods.Logout, cancellationToken);
        _login = null;
        return result;
    }

    /// <summary>The logged-in users of the current room (possibly capped; <c>Count</c> is the total).</summary>
    public async Task<UserListMessage> GetUserListAsync(CancellationToken cancellationToken = default) =>
        (UserListMessage)await RequestAsync(WschatMethods.UserList, null, static (type, _) => type == WschatMethods.UserList, cancellationToken);

    /// <summary>The current room's latest danmu and text (at most <paramref name="limit"/>; 0: all it keeps), with their offsets.</summary>
    public async Task<HistoryMessage> GetHistoryAsync(int limit = 0, CancellationToken cancellationToken = default) =>
        (HistoryMessage)await RequestAsync(WschatMethods.History, new HistoryRequest { Limit = limit }, IsHistoryOf(Room), cancellationToken);

    public async Task<HelloMessage> HelloAsync(CancellationToken cancellationToken = default) =>
        (HelloMessage)await RequestAsync(WschatMethods.Hello, null, static (type, _) => type == WschatMethods.Hello, cancellationToken);

    /// <summary>Replaces the prohibited-word list (<c>word=replacement</c> lines). Needs an admin <see cref="WschatClientOptions.AccessToken"/>.</summary>
    /// <exception cref="WschatException">Refused: not an admin (4003) or a malformed list (4005).</exception>
    public Task SetBadWordsAsync(string rules, CancellationToken cancellationToken = default) =>
        CommandAsync(WschatMethods.SetBadWords, rules, cancellationToken);

    public async ValueTask DisposeAsync()
    {
        if (_disposed.IsCancellationRequested)
        {
            return;
        }

        await _disposed.CancelAsync();
        await CloseConnectionAsync();
        SetState(WschatConnectionState.Disconnected);
        _disposed.Dispose();
    }

    private IWschatConnection Connection => _connection ?? throw new InvalidOperationException("Not connected: call ConnectAsync first.");

    private static WschatException Refused(ErrorMessage error) => new(error.Code, error.Msg);

    private static Func<string, object, bool> IsHistoryOf(string? room) =>
        (_, payload) => payload is HistoryMessage history && history.Room == room;

    private Func<string, object, bool> IsOwnEvent(string eventName)
    {
        var uid = Uid;
        return (type, payload) => type == WschatMethods.Event && payload is RoomEvent e && e.Event == eventName && e.Uid == uid;
    }

    private async Task OpenAsync(CancellationToken cancellationToken)
    {
        IWschatConnection connection = _options.ResolvedTransport switch
        {
            WschatTransportKind.Raw => new RawConnection(_options.ServerUri, _options.AccessToken),
            var signalR => new SignalRConnection(_options.ServerUri, _options.AccessToken, messagePack: signalR == WschatTransportKind.SignalRMessagePack),
        };
        connection.MessageReceived += (type, payload) => OnMessage(connection, type, payload);
        connection.Closed += _ => OnClosed(connection);

        (_hellosSent, _unsettled, _hellosAnswered, _nextPosition) = (0, false, 0, null);

        // The greeting is the first message: wait for it like a reply.
        var greeting = new PendingReply(static (type, _) => type == WschatMethods.SetUserId, opensAfter: 0, Refused);
        _pending = greeting;
        lock (_receiving)
        {
            (_connection, _lost) = (connection, false);
        }

        try
        {
            await connection.StartAsync(cancellationToken);
            var welcome = (SetUserIdMessage)await greeting.Task.WaitAsync(_options.RequestTimeout, cancellationToken);
            Uid = welcome.Uid;
            Ip = welcome.Ip;
        }
        finally
        {
            _pending = null;
        }
    }

    /// <summary>
    /// One request at a time: the server answers a connection in order, so the next matching message is
    /// the reply. A hello goes first if fire-and-forget sends went since the last: errors before its reply are theirs.
    /// </summary>
    private async Task<object> RequestAsync(string type, object? payload, Func<string, object, bool> isReply, CancellationToken cancellationToken, bool thenHello = false)
    {
        await _requests.WaitAsync(cancellationToken);
        try
        {
            var connection = Connection;
            PendingReply reply;
            await _wire.WaitAsync(cancellationToken);
            try
            {
                if (_unsettled)
                {
                    await SendOnWireAsync(connection, WschatMethods.Hello, null, cancellationToken);
                    _unsettled = false;
                }

                reply = new PendingReply(isReply, _hellosSent, Refused);
                _pending = reply;
                await SendOnWireAsync(connection, type, payload, cancellationToken);
                if (thenHello)
                {
                    await SendOnWireAsync(connection, WschatMethods.Hello, null, cancellationToken);
                }
            }
            finally
            {
                _wire.Release();
            }

            return await reply.Task.WaitAsync(_options.RequestTimeout, cancellationToken);
        }
        finally
        {
            _pending = null;
            _requests.Release();
        }
    }

    /// <summary>A message with no reply of its own, followed by a hello: an error before the hello's reply is the message's.</summary>
    private async Task CommandAsync(string type, object payload, CancellationToken cancellationToken) =>
        await RequestAsync(type, payload, static (reply, _) => reply == WschatMethods.Hello, cancellationToken, thenHello: true);

    /// <summary>
    /// A fire-and-forget send. If a call is waiting, a hello goes first: an error after its reply is this
    /// send's, not the call's (a join's reply travels through the room and may come after it).
    /// </summary>
    private async Task SendUnansweredAsync(string type, object payload, CancellationToken cancellationToken)
    {
        var connection = Connection;
        await _wire.WaitAsync(cancellationToken);
        try
        {
            if (_pending is { IsWaiting: true, ClosesAt: long.MaxValue } waiting)
            {
                await SendOnWireAsync(connection, WschatMethods.Hello, null, cancellationToken);
                waiting.CloseAt(_hellosSent);
            }

            _unsettled = true;
            await connection.SendAsync(type, payload, cancellationToken);
        }
        finally
        {
            _wire.Release();
        }
    }

    /// <summary>Sends under <see cref="_wire"/>, counting hellos (their replies arrive in the same order).</summary>
    private Task SendOnWireAsync(IWschatConnection connection, string type, object? payload, CancellationToken cancellationToken)
    {
        if (type == WschatMethods.Hello)
        {
            _hellosSent++;
        }

        return connection.SendAsync(type, payload, cancellationToken);
    }

    private void OnMessage(IWschatConnection from, string type, object payload)
    {
        lock (_receiving)
        {
            // SignalR raises Closed before the invocations it queued have run: a closed connection's
            // late messages are dropped here, and the resume brings back the room's among them.
            if (ReferenceEquals(from, _connection))
            {
                Receive(type, payload);
            }
        }
    }

    private void Receive(string type, object payload)
    {
        // A catch-up ends before its request completes: the rejoin must not go on while held messages wait.
        if (payload is HistoryMessage history && Volatile.Read(ref _catchUp) is { } catchUp && history.Room == catchUp.Room)
        {
            FinishCatchUp(catchUp, history);
        }

        var hellosAnswered = type == WschatMethods.Hello ? ++_hellosAnswered : _hellosAnswered;
        _pending?.Offer(type, payload, hellosAnswered);
        switch (payload)
        {
            case OffsetMessage offset:
                _nextPosition = new RoomPosition(offset.Epoch, offset.Offset);
                return;
            case DanmuMessage or RoomEvent or ChatMessage when type != WschatMethods.SendTo:
                // A room message: its offset message, if the server sends them, came just before it.
                var position = _nextPosition;
                _nextPosition = null;
                if (Volatile.Read(ref _catchUp) is { } catchingUp)
                {
                    catchingUp.Hold(position, type, payload);
                    return;
                }

                RaiseInRoom(position, type, payload);
                return;
        }

        Raise(type, payload);
    }

    /// <summary>
    /// Raises a room message once. A danmu or text not after the last one raised came already: a resumed
    /// client gets the live copies of what its history reply held after that reply (they travel through
    /// the room, the reply does not). Events are never in history: one arriving late is still raised.
    /// </summary>
    private void RaiseInRoom(RoomPosition? at, string type, object payload)
    {
        if (at is { } position && !AdvanceTo(position) && payload is not RoomEvent)
        {
            return;
        }

        Raise(type, payload);
    }

    /// <summary>Moves the last place raised to <paramref name="position"/> if that comes after it; false if it does not.</summary>
    private bool AdvanceTo(RoomPosition position)
    {
        if (_position is { } last && !last.IsBefore(position))
        {
            return false;
        }

        _position = position;
        return true;
    }

    private void FinishCatchUp(RoomCatchUp catchUp, HistoryMessage history)
    {
        Volatile.Write(ref _catchUp, null);
        RoomResumed?.Invoke(this, new RoomResumedEventArgs(catchUp.Room, history.Recovered, history.Messages.Count));
        foreach (var (at, type, payload) in catchUp.Release(history))
        {
            RaiseInRoom(at, type, payload);
        }

        // Everything the reply covered counts as raised, its live copies still on the way included.
        AdvanceTo(new RoomPosition(history.Epoch, history.Offset));
    }

    private void Raise(string type, object payload)
    {
        switch (payload)
        {
            case DanmuMessage danmu:
                DanmuReceived?.Invoke(this, danmu);
                break;
            case ChatMessage chat when type == WschatMethods.SendTo:
                PrivateMessageReceived?.Invoke(this, chat);
                break;
            case ChatMessage chat:
                TextReceived?.Invoke(this, chat);
                break;
            case RoomEvent roomEvent:
                RoomEventReceived?.Invoke(this, roomEvent);
                break;
            case ErrorMessage error:
                ErrorReceived?.Invoke(this, error);
                break;
        }
    }

    private void OnClosed(IWschatConnection connection)
    {
        lock (_receiving)
        {
            if (!ReferenceEquals(connection, _connection))
            {
                return;
            }

            _lost = true;
            if (State != WschatConnectionState.Connected)
            {
                // Still opening or restoring: that attempt sees the close when it would become Connected.
                return;
            }
        }

        if (_disposed.IsCancellationRequested)
        {
            return;
        }

        if (!_options.AutoReconnect)
        {
            SetState(WschatConnectionState.Disconnected);
            return;
        }

        if (Interlocked.Exchange(ref _reconnecting, 1) == 0)
        {
            _ = ReconnectAsync();
        }
    }

    private async Task ReconnectAsync()
    {
        SetState(WschatConnectionState.Reconnecting);
        var delays = _options.ReconnectDelays;
        try
        {
            for (var attempt = 0; ; attempt++)
            {
                await Task.Delay(delays.Count == 0 ? TimeSpan.Zero : delays[Math.Min(attempt, delays.Count - 1)], _disposed.Token);
                try
                {
                    await CloseConnectionAsync();
                    await OpenAsync(_disposed.Token);
                    await RestoreAsync(_disposed.Token);
                    if (TryBecomeConnected())
                    {
                        return;
                    }

                    // Closed while restoring: the next attempt starts over.
                }
                catch (Exception ex) when (ex is not OperationCanceledException || !_disposed.IsCancellationRequested)
                {
                    // The server is still away (or refused): try again after the next delay.
                }
            }
        }
        catch (OperationCanceledException) when (_disposed.IsCancellationRequested)
        {
            // Disposed while reconnecting.
        }
        finally
        {
            Volatile.Write(ref _reconnecting, 0);
        }
    }

    private async Task RestoreAsync(CancellationToken cancellationToken)
    {
        if (_login is { } login)
        {
            await LoginAsync(login, cancellationToken);
        }

        if (Room is not { } room)
        {
            return;
        }

        if (_position is not { } since)
        {
            // Never given an offset (not asked, or a server without them): nothing to resume from.
            await JoinAsync(room, cancellationToken);
            return;
        }

        // Join first, holding what arrives live, then ask for what was missed: no gap between the two.
        Volatile.Write(ref _catchUp, new RoomCatchUp(room));
        try
        {
            await JoinAsync(room, cancellationToken);
            await RequestAsync(WschatMethods.History, new HistoryRequest { Epoch = since.Epoch, Offset = since.Offset }, IsHistoryOf(room), cancellationToken);
        }
        catch
        {
            // Closed while still holding: live messages raised after a failed catch-up would move the
            // place past what was missed. The next attempt resumes from the same place.
            await CloseConnectionAsync();
            throw;
        }
        finally
        {
            Volatile.Write(ref _catchUp, null);
        }
    }

    private async Task CloseConnectionAsync()
    {
        IWschatConnection? connection;
        lock (_receiving)
        {
            (connection, _connection) = (_connection, null);
        }

        if (connection is not null)
        {
            await connection.DisposeAsync();
        }
    }

    /// <summary>Becomes Connected, unless the connection closed while it was opened or restored.</summary>
    private bool TryBecomeConnected()
    {
        lock (_receiving)
        {
            if (_lost)
            {
                return false;
            }

            State = WschatConnectionState.Connected;
        }

        StateChanged?.Invoke(this, WschatConnectionState.Connected);
        return true;
    }

    private void SetState(WschatConnectionState state)
    {
        if (State == state)
        {
            return;
        }

        State = state;
        StateChanged?.Invoke(this, state);
    }
}
