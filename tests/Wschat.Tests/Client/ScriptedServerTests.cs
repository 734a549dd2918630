using System.Net;
using System.Net.WebSockets;
using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Wschat.Client;
using Wschat.Contracts;
using Wschat.Tests.Infrastructure;

namespace Wschat.Tests.Client;

/// <summary>
/// The client against what the real server does only under load, or a broken one might, scripted by a
/// wschat peer on Kestrel: after a rejoin, the live copies of messages the history reply held arrive after
/// that reply (in a cluster the reply goes straight to the caller while live messages wait in the node's
/// subscription; a resume in the kill test raised three danmu twice that way); a connection closes while
/// the client rejoins through it; frames the client cannot read.
/// </summary>
public sealed class ScriptedServerTests
{
    private const string Room = "stream";
    private const string Epoch = "e1";

    [Fact]
    public async Task Live_copies_of_what_the_history_reply_held_arriving_after_it_are_not_raised_twice()
    {
        var raisedBeforeClose = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        await using var peer = await ScriptedPeer.StartAsync(async (number, socket) =>
        {
            var uid = number;
            await socket.SendAsync(new { type = WschatMethods.SetUserId, uid, ip = "127.0.0.1" });
            var join = await socket.ReceiveAsync(WschatMethods.Join);
            Assert.True(join.GetProperty("offsets").GetBoolean());
            if (number == 1)
            {
                await socket.SendRoomMessagesAsync((1, JoinRoom(uid)), (2, Danmu("d1")), (3, Danmu("d2")));
                await raisedBeforeClose.Task;
                return;
            }

            await socket.SendRoomMessagesAsync((5, JoinRoom(uid)));
            var history = await socket.ReceiveAsync(WschatMethods.History);
            Assert.Equal(Epoch, history.GetProperty("epoch").GetString());
            Assert.Equal(3, history.GetProperty("offset").GetInt64());
            await socket.SendAsync(new
            {
                type = WschatMethods.History,
                room = Room,
                epoch = Epoch,
                offset = 6,
                recovered = true,
                messages = new[] { HistoryEntry(4, "d3"), HistoryEntry(6, "d4") },
            });

            // What the reply held comes again live, then what follows it.
            await socket.SendRoomMessagesAsync((4, Danmu("d3")), (6, Danmu("d4")), (7, Danmu("d5")));
            await socket.ReceiveAsync(WschatMethods.Hello);
            await socket.SendAsync(new { type = WschatMethods.Hello, server = "peer", uid, ip = "127.0.0.1" });
            await socket.WaitForCloseAsync();
        });

        await using var client = new WschatClient(new WschatClientOptions { ServerUri = peer.Uri, RecoverMissedMessages = true });
        var raised = new List<string>();
        var last = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        client.DanmuReceived += (_, danmu) =>
        {
            raised.Add(danmu.Text);
            if (danmu.Text == "d2")
            {
                raisedBeforeClose.TrySetResult();
            }

            if (danmu.Text == "d5")
            {
                last.TrySetResult();
            }
        };
        var resumed = new TaskCompletionSource<RoomResumedEventArgs>(TaskCreationOptions.RunContinuationsAsynchronously);
        client.RoomResumed += (_, e) => resumed.TrySetResult(e);

        await client.ConnectAsync();
        await client.JoinAsync(Room);
        var resumption = await resumed.Task.WaitAsync(RawClient.Timeout);
        await last.Task.WaitAsync(RawClient.Timeout);

        // A hello after d5: every message before its reply has been raised.
        await client.HelloAsync();
        Assert.Equal(["d1", "d2", "d3", "d4", "d5"], raised);
        Assert.True(resumption.Recovered);
        Assert.Equal(2, resumption.Replayed);
    }

    [Fact]
    public async Task A_connection_that_closes_while_the_client_rejoins_through_it_is_reconnected_again()
    {
        var raisedBeforeClose = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var thirdConnection = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        await using var peer = await ScriptedPeer.StartAsync(async (number, socket) =>
        {
            var uid = number;
            await socket.SendAsync(new { type = WschatMethods.SetUserId, uid, ip = "127.0.0.1" });
            await socket.ReceiveAsync(WschatMethods.Join);
            if (number == 1)
            {
                await socket.SendRoomMessagesAsync((1, JoinRoom(uid)), (2, Danmu("d1")));
                await raisedBeforeClose.Task;
                return;
            }

            await socket.SendRoomMessagesAsync((number + 1, JoinRoom(uid)));
            await socket.ReceiveAsync(WschatMethods.History);
            await socket.SendAsync(new { type = WschatMethods.History, room = Room, epoch = Epoch, offset = number + 1, recovered = true, messages = Array.Empty<object>() });
            if (number == 2)
            {
                // Closed right behind the history reply: the client is still restoring when the close comes.
                return;
            }

            thirdConnection.TrySetResult();
            await socket.WaitForCloseAsync();
        });

        await using var client = new WschatClient(new WschatClientOptions { ServerUri = peer.Uri, ReconnectDelays = [TimeSpan.Zero] });
        client.DanmuReceived += (_, _) => raisedBeforeClose.TrySetResult();

        await client.ConnectAsync();
        await client.JoinAsync(Room);

        // Had the close during the second rejoin been lost, the client would sit Connected on a closed connection.
        await thirdConnection.Task.WaitAsync(RawClient.Timeout);
        await Eventually.GetAsync(() => Task.FromResult(client is { State: WschatConnectionState.Connected, Uid: 3 } ? "connected" : null), RawClient.Timeout, "the client connected through the third connection");
    }

    [Fact]
    public async Task A_frame_the_client_cannot_read_or_a_handler_that_throws_does_not_end_the_connection()
    {
        await using var peer = await ScriptedPeer.StartAsync(async (number, socket) =>
        {
            await socket.SendAsync(new { type = WschatMethods.SetUserId, uid = number, ip = "127.0.0.1" });
            await socket.ReceiveAsync(WschatMethods.Hello);
            await socket.SendTextAsync("not json");
            await socket.SendTextAsync("[1]");
            await socket.SendAsync(new { type = 7 });
            await socket.SendAsync(new { type = WschatMethods.Danmu, text = 1 });
            await socket.SendAsync(Danmu("throws"));
            await socket.SendAsync(Danmu("arrives"));
            await socket.SendAsync(new { type = WschatMethods.Hello, server = "peer", uid = number, ip = "127.0.0.1" });
            await socket.WaitForCloseAsync();
        });

        await using var client = new WschatClient(new WschatClientOptions { ServerUri = peer.Uri, AutoReconnect = false });
        var raised = new List<string>();
        client.DanmuReceived += (_, danmu) =>
        {
            raised.Add(danmu.Text);
            if (danmu.Text == "throws")
            {
                throw new InvalidOperationException("a handler's bug");
            }
        };

        await client.ConnectAsync();
        await client.HelloAsync();

        Assert.Equal(["throws", "arrives"], raised);
        Assert.Equal(WschatConnectionState.Connected, client.State);
    }

    private static object JoinRoom(long uid) => new { type = WschatMethods.Event, @event = RoomEventNames.JoinRoom, uid, userscount = 1, loginedcount = 0, ip = "127.0.0.1" };

    private static object Danmu(string text) => new { type = WschatMethods.Danmu, text, uid = "9", avatar = "", username = "" };

    private static object HistoryEntry(long offset, string text) => new { offset, type = WschatMethods.Danmu, text, uid = "9", avatar = "", username = "" };

    /// <summary>A raw wschat server on Kestrel that plays a script per connection (numbered from 1), then closes it.</summary>
    private sealed class ScriptedPeer : IAsyncDisposable
    {
        private readonly WebApplication _app;

        private ScriptedPeer(WebApplication app, Uri uri)
        {
            _app = app;
            Uri = uri;
        }

        public Uri Uri { get; }

        public static async Task<ScriptedPeer> StartAsync(Func<int, ScriptedSocket, Task> script)
        {
            var port = FreePort.Next();
            var builder = WebApplication.CreateSlimBuilder();
            builder.WebHost.ConfigureKestrel(kestrel => kestrel.Listen(IPAddress.Loopback, port));
            var app = builder.Build();
            app.UseWebSockets();
            var connections = 0;
            app.Run(async context =>
            {
                using var socket = await context.WebSockets.AcceptWebSocketAsync();
                await script(Interlocked.Increment(ref connections), new ScriptedSocket(socket));
                await socket.CloseOutputAsync(WebSocketCloseStatus.NormalClosure, null, CancellationToken.None);
            });
            await app.StartAsync();
            return new ScriptedPeer(app, new Uri($"ws://127.0.0.1:{port}/"));
        }

        public async ValueTask DisposeAsync()
        {
            await _app.StopAsync();
            await _app.DisposeAsync();
        }
    }

    private sealed class ScriptedSocket(WebSocket socket)
    {
        public Task SendAsync(object message) =>
            socket.SendAsync(JsonSerializer.SerializeToUtf8Bytes(message), WebSocketMessageType.Text, endOfMessage: true, CancellationToken.None);

        public Task SendTextAsync(string text) =>
            socket.SendAsync(Encoding.UTF8.GetBytes(text), WebSocketMessageType.Text, endOfMessage: true, CancellationToken.None);

        /// <summary>Each message after the <c>offset</c> message that gives its place, as the server sends them to a client that asked.</summary>
        public async Task SendRoomMessagesAsync(params (long Offset, object Message)[] messages)
        {
            foreach (var (offset, message) in messages)
            {
                await SendAsync(new { type = WschatMethods.Offset, epoch = Epoch, offset });
                await SendAsync(message);
            }
        }

        /// <summary>The next message from the client, which must be of <paramref name="type"/>.</summary>
        public async Task<JsonElement> ReceiveAsync(string type)
        {
            var (kind, text) = await ReceiveAsync();
            Assert.True(kind == WebSocketMessageType.Text, $"expected {type}, got {kind}");
            var message = JsonDocument.Parse(text).RootElement;
            Assert.True(type == message.GetProperty("type").GetString(), $"expected {type}, got {text}");
            return message;
        }

        public async Task WaitForCloseAsync()
        {
            var (kind, text) = await ReceiveAsync();
            Assert.True(kind == WebSocketMessageType.Close, $"expected the client to close, got {text}");
        }

        private async Task<(WebSocketMessageType Kind, string Text)> ReceiveAsync()
        {
            using var timeout = new CancellationTokenSource(RawClient.Timeout);
            var buffer = new byte[4096];
            var length = 0;
            ValueWebSocketReceiveResult result;
            do
            {
                result = await socket.ReceiveAsync(buffer.AsMemory(length), timeout.Token);
                length += result.Count;
            }
            while (!result.EndOfMessage);

            return (result.MessageType, Encoding.UTF8.GetString(buffer, 0, length));
        }
    }
}
