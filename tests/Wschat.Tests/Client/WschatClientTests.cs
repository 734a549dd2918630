using System.Threading.Channels;
using Wschat.Client;
using Wschat.Contracts;
using Wschat.Tests.Infrastructure;

namespace Wschat.Tests.Client;

/// <summary>The SDK against a real node, over each transport: every call, its answers and its events.</summary>
public sealed class WschatClientTests : IAsyncLifetime
{
    private const string AdminToken = "sdk-admin";
    private HubNode _node = null!;

    public static TheoryData<WschatTransportKind> Transports => new() { WschatTransportKind.Raw, WschatTransportKind.SignalRJson, WschatTransportKind.SignalRMessagePack };

    public async Task InitializeAsync() => _node = await HubNode.StartAsync(settings: $"Wschat:AdminTokens:0={AdminToken}");

    public async Task DisposeAsync() => await _node.DisposeAsync();

    [Theory]
    [MemberData(nameof(Transports))]
    public async Task Every_call_gets_its_answer_and_room_messages_arrive_as_typed_events(WschatTransportKind transport)
    {
        var room = "sdk-" + Guid.NewGuid().ToString("N")[..8];
        await using var client = ClientFor(_node, transport);
        await using var peer = ClientFor(_node, WschatTransportKind.Raw);
        var inbox = Inbox.Of(client);
        await client.ConnectAsync();
        await peer.ConnectAsync();

        Assert.True(client.Uid > 0);
        Assert.Equal("127.0.0.1", client.Ip);
        Assert.Equal(client.Uid, (await client.HelloAsync()).Uid);
        Assert.Equal("success", (await client.LoginAsync(new LoginRequest { Uname = "机器人", Avatar = "a.png", LoginId = "bot1", Info = "测试" })).Result);
        var joined = await client.JoinAsync(room);
        Assert.Equal((client.Uid, 1, 1), (joined.Uid, joined.UsersCount, joined.LoginedCount));
        Assert.Equal(room, client.Room);

        await peer.JoinAsync(room);
        await inbox.NextEventAsync(e => e.Event == RoomEventNames.JoinRoom && e.Uid == peer.Uid);
        await peer.SendDanmuAsync("弹幕😀");
        Assert.Equal(("弹幕😀", peer.Uid.ToString(System.Globalization.CultureInfo.InvariantCulture)), Fields(await inbox.Danmu.Reader.ReadAsync(Timeout())));
        await peer.SendTextAsync("聊天");
        Assert.Equal("聊天", (await inbox.Texts.Reader.ReadAsync(Timeout())).Text);
        await peer.SendToAsync("私信", client.Uid);
        Assert.Equal("私信", (await inbox.Private.Reader.ReadAsync(Timeout())).Text);

        var users = await client.GetUserListAsync();
        Assert.Equal(1, users.Count);
        Assert.Equal("机器人", Assert.Single(users.Users).Username);

        Assert.Equal("success", (await client.LogoutAsync()).Result);
        Assert.Equal(RoomEventNames.LeaveRoom, (await client.LeaveAsync()).Event);
        Assert.Null(client.Room);
    }

    [Theory]
    [MemberData(nameof(Transports))]
    public async Task Set_bad_words_needs_an_admin_token_and_refusals_throw_with_the_server_code(WschatTransportKind transport)
    {
        await using var admin = ClientFor(_node, transport, AdminToken);
        await using var user = ClientFor(_node, transport);
        await admin.ConnectAsync();
        await user.ConnectAsync();

        var refused = await Assert.ThrowsAsync<WschatException>(() => user.SetBadWordsAsync("坏=好\n"));
        Assert.Equal(4003, refused.Code);
        var malformed = await Assert.ThrowsAsync<WschatException>(() => admin.SetBadWordsAsync("no equals sign\n"));
        Assert.Equal(4005, malformed.Code);
        await admin.SetBadWordsAsync("坏词" + transport + "=好词\n");

        var invalidRoom = await Assert.ThrowsAsync<WschatException>(() => user.JoinAsync(""));
        Assert.Equal(4004, invalidRoom.Code);
    }

    [Theory]
    [MemberData(nameof(Transports))]
    public async Task An_error_caused_by_an_earlier_fire_and_forget_send_does_not_fail_the_next_call(WschatTransportKind transport)
    {
        var room = "sdk-errors-" + Guid.NewGuid().ToString("N")[..8];
        await using var client = ClientFor(_node, transport);
        var errors = Channel.CreateUnbounded<ErrorMessage>();
        client.ErrorReceived += (_, error) => errors.Writer.TryWrite(error);
        await client.ConnectAsync();

        // Outside a room: refused (4001), and the refusal comes back while the join below waits.
        await client.SendDanmuAsync("too early");
        var joined = await client.JoinAsync(room);
        Assert.Equal(client.Uid, joined.Uid);
        Assert.Equal(ErrorCodes.NotInRoom, (await errors.Reader.ReadAsync(Timeout())).Code);

        // A refused send made while a call waits is not the call's either.
        var rejoin = client.JoinAsync(room + "-2");
        await client.SendTextAsync("");
        Assert.Equal(RoomEventNames.JoinRoom, (await rejoin).Event);
        Assert.Equal(ErrorCodes.InvalidText, (await errors.Reader.ReadAsync(Timeout())).Code);

        // And a call's own refusal still fails it.
        Assert.Equal(ErrorCodes.InvalidRoom, (await Assert.ThrowsAsync<WschatException>(() => client.JoinAsync(""))).Code);
    }

    [Theory]
    [MemberData(nameof(Transports))]
    public async Task History_returns_the_rooms_latest_danmu_and_text_with_their_offsets(WschatTransportKind transport)
    {
        var room = "sdk-history-" + Guid.NewGuid().ToString("N")[..8];
        await using var client = ClientFor(_node, transport);
        var inbox = Inbox.Of(client);
        await client.ConnectAsync();
        await client.JoinAsync(room);
        await client.SendDanmuAsync("一");
        await client.SendTextAsync("二");
        await inbox.Texts.Reader.ReadAsync(Timeout());

        var history = await client.GetHistoryAsync(limit: 1);

        Assert.Equal(room, history.Room);
        Assert.Equal(2, history.Offset);
        var entry = Assert.Single(history.Messages);
        Assert.Equal((2L, "text", "二"), (entry.Offset, entry.Type, entry.Text));
    }

    [Fact]
    public async Task A_call_times_out_or_is_cancelled_as_asked()
    {
        // A WebSocket that never greets: SignalR's own endpoint waits for a handshake the raw client never sends.
        var silent = new UriBuilder(_node.RawUri) { Path = "/hub" }.Uri;
        await using var client = new WschatClient(new WschatClientOptions { ServerUri = silent, Transport = WschatTransportKind.Raw, RequestTimeout = TimeSpan.FromMilliseconds(300) });
        await Assert.ThrowsAsync<TimeoutException>(() => client.ConnectAsync());
        Assert.Equal(WschatConnectionState.Disconnected, client.State);

        await using var patient = ClientFor(_node, WschatTransportKind.Raw);
        await patient.ConnectAsync();
        using var cancelled = new CancellationTokenSource();
        await cancelled.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => patient.GetUserListAsync(cancelled.Token));
        Assert.Equal(0, (await patient.GetUserListAsync()).Count);
    }

    [Theory]
    [MemberData(nameof(Transports))]
    public async Task Disposing_closes_the_connection_and_the_room_sees_the_client_leave(WschatTransportKind transport)
    {
        var room = "sdk-dispose-" + transport;
        await using var watcher = ClientFor(_node, WschatTransportKind.Raw);
        var inbox = Inbox.Of(watcher);
        await watcher.ConnectAsync();
        await watcher.JoinAsync(room);
        var client = ClientFor(_node, transport);
        var states = new List<WschatConnectionState>();
        client.StateChanged += (_, state) => states.Add(state);
        await client.ConnectAsync();
        await client.JoinAsync(room);

        await client.DisposeAsync();

        Assert.Equal([WschatConnectionState.Connecting, WschatConnectionState.Connected, WschatConnectionState.Disconnected], states);
        var left = await inbox.NextEventAsync(e => e.Event == RoomEventNames.LeaveRoom);
        Assert.Equal((client.Uid, 1), (left.Uid, left.UsersCount));
        await Assert.ThrowsAsync<InvalidOperationException>(() => client.SendDanmuAsync("after dispose"));
    }

    internal static WschatClient ClientFor(HubNode node, WschatTransportKind transport, string? token = null) => ClientFor(
        transport == WschatTransportKind.Raw ? node.RawUri : node.HubUri, transport, token);

    internal static WschatClient ClientFor(Uri server, WschatTransportKind transport, string? token = null) => new(new WschatClientOptions
    {
        ServerUri = server,
        Transport = transport,
        AccessToken = token,
        ReconnectDelays = [TimeSpan.Zero, TimeSpan.FromMilliseconds(250), TimeSpan.FromMilliseconds(500)],
    });

    internal static CancellationToken Timeout() => new CancellationTokenSource(RawClient.Timeout).Token;

    private static (string, string) Fields(DanmuMessage danmu) => (danmu.Text, danmu.Uid);

    /// <summary>A client's events, queued so a test can await them in order.</summary>
    internal sealed class Inbox
    {
        public Channel<DanmuMessage> Danmu { get; } = Channel.CreateUnbounded<DanmuMessage>();

        public Channel<ChatMessage> Texts { get; } = Channel.CreateUnbounded<ChatMessage>();

        public Channel<ChatMessage> Private { get; } = Channel.CreateUnbounded<ChatMessage>();

        public Channel<RoomEvent> RoomEvents { get; } = Channel.CreateUnbounded<RoomEvent>();

        public Channel<WschatConnectionState> States { get; } = Channel.CreateUnbounded<WschatConnectionState>();

        /// <summary>The next room event that matches, skipping others.</summary>
        public async Task<RoomEvent> NextEventAsync(Func<RoomEvent, bool> match)
        {
            var timeout = Timeout();
            while (true)
            {
                var next = await RoomEvents.Reader.ReadAsync(timeout);
                if (match(next))
                {
                    return next;
                }
            }
        }

        public static Inbox Of(WschatClient client)
        {
            var inbox = new Inbox();
            client.DanmuReceived += (_, m) => inbox.Danmu.Writer.TryWrite(m);
            client.TextReceived += (_, m) => inbox.Texts.Writer.TryWrite(m);
            client.PrivateMessageReceived += (_, m) => inbox.Private.Writer.TryWrite(m);
            client.RoomEventReceived += (_, m) => inbox.RoomEvents.Writer.TryWrite(m);
            client.StateChanged += (_, s) => inbox.States.Writer.TryWrite(s);
            return inbox;
        }
    }
}
