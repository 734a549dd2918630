using Wschat.Client.Reconnect;
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
    private readonly CancellationTokenSource _disposed = new();

    // The API and the connection's state are here; calls and their replies, the room's messages with their
    // resume, and reconnecting each have their own type.
    private readonly RequestChannel _requests;
    private readonly RoomStream _roomStream;
    private readonly ReconnectLoop _reconnect;

    // Taken by every message received and by closing: once a connection is closed, nothing it still delivers counts.
    private readonly Lock _receiving = new();
    private IWschatConnection? _connection;

    // Under _receiving: the current connection closed. A close while it is opened or restored is acted on
    // by the attempt itself (TryBecomeConnected), which then fails.
    private bool _lost;
    private LoginRequest? _login;

    public WschatClient(WschatClientOptions options)
    {
        _options = options;
        _requests = new RequestChannel(() => Connection, options.RequestTimeout, Refused);
        _roomStream = new RoomStream(_requests, Raise, RaiseResumed);
        _reconnect = new ReconnectLoop(options.ReconnectDelays, ReopenAsync, () => SetState(WschatConnectionState.Reconnecting), _disposed.Token);
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
                _roomStream.Forget();
            }
        }

        var request = new JoinRequest { Room = room, Offsets = _options.RecoverMissedMessages };
        var joined = await _requests.RequestAsync(WschatMethods.Join, request, IsOwnEvent(RoomEventNames.JoinRoom), cancellationToken);
        Room = room;
        return (RoomEvent)joined;
    }

    /// <summary>Leaves the current room; returns the leaveroom event.</summary>
    public async Task<RoomEvent> LeaveAsync(CancellationToken cancellationToken = default)
    {
        var left = await _requests.RequestAsync(WschatMethods.Leave, null, IsOwnEvent(RoomEventNames.LeaveRoom), cancellationToken);
        Room = null;
        return (RoomEvent)left;
    }

    /// <summary>Sends a danmu to the room without waiting (refusals arrive through <see cref="ErrorReceived"/>).</summary>
    public Task SendDanmuAsync(string text, CancellationToken cancellationToken = default) =>
        _requests.SendAsync(WschatMethods.Danmu, new TextRequest { Text = text }, cancellationToken);

    /// <summary>Sends a chat message to the room without waiting (refusals arrive through <see cref="ErrorReceived"/>).</summary>
    public Task SendTextAsync(string text, CancellationToken cancellationToken = default) =>
        _requests.SendAsync(WschatMethods.Text, new TextRequest { Text = text }, cancellationToken);

    /// <summary>Sends a private message; completes once the server has taken it (addressees not connected are skipped).</summary>
    public Task SendToAsync(string text, IEnumerable<long> uids, CancellationToken cancellationToken = default) =>
        _requests.CommandAsync(WschatMethods.SendTo, new SendToRequest { Text = text, ToUids = [.. uids.Select(static u => u.ToString(System.Globalization.CultureInfo.InvariantCulture))] }, cancellationToken);

    /// <inheritdoc cref="SendToAsync(string, IEnumerable{long}, CancellationToken)"/>
    public Task SendToAsync(string text, params long[] uids) => SendToAsync(text, uids, CancellationToken.None);

    /// <summary>
    /// Attaches a profile to this connection (kept across rooms and reconnects). When the server
    /// verifies logins, set <see cref="LoginRequest.Token"/> to the site's JWT: its claims become the profile.
    /// </summary>
    /// <exception cref="WschatException">Refused: a field too long (4006) or, with verified logins, a missing or bad token (4040).</exception>
    public async Task<ResultMessage> LoginAsync(LoginRequest login, CancellationToken cancellationToken = default)
    {
        var result = (ResultMessage)await _requests.RequestAsync(WschatMethods.Login, login, static (type, _) => type == WschatMethods.Login, cancellationToken);
        _login = login;
        return result;
    }

    public async Task<ResultMessage> LogoutAsync(CancellationToken cancellationToken = default)
    {
        var result = (ResultMessage)await _requests.RequestAsync(WschatMethods.Logout, null, static (type, _) => type == WschatMethods.Logout, cancellationToken);
        _login = null;
        return result;
    }

    /// <summary>The logged-in users of the current room (possibly capped; <c>Count</c> is the total).</summary>
    public async Task<UserListMessage> GetUserListAsync(CancellationToken cancellationToken = default) =>
        (UserListMessage)await _requests.RequestAsync(WschatMethods.UserList, null, static (type, _) => type == WschatMethods.UserList, cancellationToken);

    /// <summary>The current room's latest danmu and text (at most <paramref name="limit"/>; 0: all it keeps), with their offsets.</summary>
    public async Task<HistoryMessage> GetHistoryAsync(int limit = 0, CancellationToken cancellationToken = default) =>
        (HistoryMessage)await _requests.RequestAsync(WschatMethods.History, new HistoryRequest { Limit = limit }, RoomStream.IsHistoryOf(Room), cancellationToken);

    public async Task<HelloMessage> HelloAsync(CancellationToken cancellationToken = default) =>
        (HelloMessage)await _requests.RequestAsync(WschatMethods.Hello, null, static (type, _) => type == WschatMethods.Hello, cancellationToken);

    /// <summary>Replaces the prohibited-word list (<c>word=replacement</c> lines). Needs an admin <see cref="WschatClientOptions.AccessToken"/>.</summary>
    /// <exception cref="WschatException">Refused: not an admin (4003) or a malformed list (4005).</exception>
    public Task SetBadWordsAsync(string rules, CancellationToken cancellationToken = default) =>
        _requests.CommandAsync(WschatMethods.SetBadWords, rules, cancellationToken);

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
        lock (_receiving)
        {
            (_connection, _lost) = (connection, false);
            _roomStream.ConnectionChanged();
        }

        var welcome = (SetUserIdMessage)await _requests.StartAsync(connection, cancellationToken);
        Uid = welcome.Uid;
        Ip = welcome.Ip;
    }

    private void OnMessage(IWschatConnection from, string type, object payload)
    {
        lock (_receiving)
        {
            // SignalR raises Closed before the invocations it queued have run: a closed connection's
            // late messages are dropped here, and the resume brings back the room's among them.
            if (!ReferenceEquals(from, _connection))
            {
                return;
            }

            // In this order: a catch-up ends before its history request completes, and a call has its reply
            // before that is raised as an event.
            _roomStream.FinishCatchUpOn(payload);
            _requests.Offer(type, payload);
            if (!_roomStream.TryTake(type, payload))
            {
                Raise(type, payload);
            }
        }
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

    private void RaiseResumed(string room, HistoryMessage history) =>
        RoomResumed?.Invoke(this, new RoomResumedEventArgs(room, history.Recovered, history.Messages.Count));

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

        _reconnect.Start();
    }

    /// <summary>One reconnect attempt: a new connection with the login and the room restored; false if it closed meanwhile.</summary>
    private async Task<bool> ReopenAsync(CancellationToken cancellationToken)
    {
        await CloseConnectionAsync();
        await OpenAsync(cancellationToken);
        if (_login is { } login)
        {
            await LoginAsync(login, cancellationToken);
        }

        if (Room is { } room)
        {
            await _roomStream.RejoinAsync(room, token => JoinAsync(room, token), CloseConnectionAsync, cancellationToken);
        }

        return TryBecomeConnected();
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
