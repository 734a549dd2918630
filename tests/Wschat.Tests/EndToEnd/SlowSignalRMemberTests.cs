using System.Diagnostics;
using System.Net.Http.Json;
using System.Net.Sockets;
using System.Net.WebSockets;
using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.Http.Connections;
using Wschat.Tests.Infrastructure;
using Xunit.Abstractions;

namespace Wschat.Tests.EndToEnd;

/// <summary>
/// A SignalR member that stops reading, on each transport, holds up nobody else in its room: the
/// others get every message about as soon as each other, and the stalled one is dropped.
/// </summary>
public sealed class SlowSignalRMemberTests(ITestOutputHelper output)
{
    private const int MaxQueuedBytes = 64 * 1024;

    // Sent after the stalled member's leaveroom, so the room is also shown to go on without it.
    private const int MessagesAfterLeave = 50;

    // Much longer than filling the stalled member's queue, transport and socket buffers takes (a few seconds).
    private static readonly TimeSpan FloodAtMost = TimeSpan.FromSeconds(45);

    // From the abort for a full queue to the room hearing of it.
    private static readonly TimeSpan LeaveWithin = TimeSpan.FromSeconds(2);

    private const string End = "end";

    // Danmu a normal member may have outstanding (sent, not yet received): about 19 KiB, well below the limit.
    private const int Window = 20;

    public static readonly TheoryData<HttpTransportType> Transports = new()
    {
        HttpTransportType.WebSockets,
        HttpTransportType.ServerSentEvents,
        HttpTransportType.LongPolling,
    };

    [Theory]
    [MemberData(nameof(Transports))]
    public async Task A_member_that_stops_reading_holds_up_no_one_else_in_its_room_by_more_than_a_second_and_is_dropped(HttpTransportType transport)
    {
        await using var node = await HubNode.StartAsync(settings:
            [$"Wschat:Limits:MaxQueuedBytes={MaxQueuedBytes}", "Wschat:Limits:MessageBurst=1000000", "Wschat:Limits:MessagesPerSecond=1000000"]);
        var room = SingleNodeFixture.NewRoom();
        var members = new IChatClient[5];
        members[0] = await ChatClients.ConnectAsync(node, ClientKind.Json);
        members[1] = await ChatClients.ConnectAsync(node, ClientKind.Raw);
        members[2] = await ChatClients.ConnectAsync(node, ClientKind.MessagePack);
        members[3] = await ChatClients.ConnectAsync(node, ClientKind.Raw);
        members[4] = await ChatClients.ConnectAsync(node, ClientKind.Json);
        try
        {
            await ChatClients.JoinAllAsync(room, members);
            await using var stalled = await StalledMember.JoinAsync(node, transport, room);
            var stalledUid = await SeeJoinAsync(members);

            var left = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            using var aborts = new SlowConsumerDrops(node);
            var credits = members.Select(_ => new SemaphoreSlim(Window)).ToArray();
            var collecting = members.Select((m, i) => Task.Run(() => CollectAsync(m, stalledUid, left, credits[i]))).ToArray();

            // The flood goes as fast as the normal members take it, never more than a window ahead of any of them: an
            // invocation completes once the danmu is queued, so a sender that only awaited those would outrun the room
            // and push the normal members past the limit too. The stalled member has no say in this pace.
            var sender = (SignalRClient)members[0];
            var text = new string('弹', 300);
            var sent = new List<string>();
            using var pool = new ThreadPoolWatch();
            var flooding = Stopwatch.StartNew();
            for (var after = 0; flooding.Elapsed < FloodAtMost && after < MessagesAfterLeave; after += left.Task.IsCompleted ? 1 : 0)
            {
                foreach (var credit in credits)
                {
                    Assert.True(await credit.WaitAsync(TimeSpan.FromSeconds(30)), $"a normal member fell {Window} danmu behind and stayed there for 30 s");
                }

                var danmu = $"{sent.Count:D6} {text}";
                try
                {
                    await sender.SendAsync("danmu", new { text = danmu });
                }
                catch (OperationCanceledException)
                {
                    // Seen twice in about twenty full runs, never alone: what the process was doing then.
                    output.WriteLine($"danmu {sent.Count} got no completion in {RawClient.Timeout.TotalSeconds} s, {flooding.Elapsed.TotalSeconds:F1} s into the flood; " +
                        $"stalled member aborted: {aborts.LastSignalRBefore(long.MaxValue) is not null}, its leaveroom seen: {left.Task.IsCompleted}; " +
                        $"thread pool: {pool}");
                    throw;
                }

                sent.Add(danmu);
            }

            await sender.SendAsync("danmu", new { text = End });
            var received = await Task.WhenAll(collecting).WaitAsync(TimeSpan.FromSeconds(120));

            var spreads = Enumerable.Range(0, sent.Count)
                .Select(i => Stopwatch.GetElapsedTime(received.Min(r => r.At[i]), received.Max(r => r.At[i])))
                .Order()
                .ToArray();
            var leftAt = received.Select(r => r.StalledLeftAt).Min();
            var abortedAt = aborts.LastSignalRBefore(leftAt ?? long.MaxValue);
            output.WriteLine($"{transport}: {sent.Count} danmu ({sent.Count * Encoding.UTF8.GetByteCount(sent[0]) / 1024} KiB) in {flooding.Elapsed.TotalSeconds:F1} s");
            output.WriteLine($"receive spread across the {members.Length} members: median {spreads[spreads.Length / 2].TotalMilliseconds:F1} ms, p99 {spreads[spreads.Length * 99 / 100].TotalMilliseconds:F1} ms, max {spreads[^1].TotalMilliseconds:F1} ms");
            output.WriteLine($"aborted for its queue: {(abortedAt is { } a ? $"{Stopwatch.GetElapsedTime(a).TotalSeconds:F1} s ago" : "no")}; its leaveroom: {(leftAt is { } l ? $"{Stopwatch.GetElapsedTime(l).TotalSeconds:F1} s ago" : "never")}");

            foreach (var member in received)
            {
                Assert.Equal(sent, member.Texts);
            }

            Assert.True(spreads[^1] < TimeSpan.FromSeconds(1), $"one danmu reached the last member {spreads[^1]} after the first");

            // Dropped means gone from the room at once, not once a transport timeout ends the connection. What happens on
            // each transport: the stalled member's queue passes the limit after the socket buffers fill (WebSockets,
            // Server-Sent Events: some MB, a few seconds) or at once (long polling: nothing is polled, so only the
            // transport's 64 KiB pipe and the queue hold anything), and it is aborted then. Without more, SignalR writes
            // it a close message regardless of the abort and waits for that write before OnDisconnectedAsync; against a
            // client that reads nothing that lasts until the transport gives up (10 s send timeout on WebSockets and
            // SSE, the 15 s long-polling disconnect timeout), and the room goes on counting a member that is gone.
            Assert.True(abortedAt is not null, $"the stalled {transport} member was never aborted for its queue");
            Assert.True(leftAt is not null, $"the room never heard the stalled {transport} member leave in {flooding.Elapsed.TotalSeconds:F0} s");
            Assert.True(
                Stopwatch.GetElapsedTime(abortedAt.Value, leftAt.Value) < LeaveWithin,
                $"the stalled {transport} member's leaveroom came {Stopwatch.GetElapsedTime(abortedAt.Value, leftAt.Value).TotalSeconds:F1} s after it was aborted");
            Assert.All(received, r => Assert.NotNull(r.StalledLeftAt));
        }
        finally
        {
            foreach (var member in members.Where(m => m is not null))
            {
                await member.DisposeAsync();
            }
        }
    }

    /// <summary>The uid of the stalled member, from its joinroom event, the same for every member.</summary>
    private static async Task<long> SeeJoinAsync(IChatClient[] members)
    {
        var uids = new HashSet<long>();
        foreach (var member in members)
        {
            var joined = await member.ReceiveSkippingAsync("event", static e => e.GetProperty("event").GetString() == "joinroom");
            uids.Add(joined.GetProperty("uid").GetInt64());
        }

        var uid = Assert.Single(uids);
        Assert.DoesNotContain(uid, members.Select(m => m.Uid));
        return uid;
    }

    /// <summary>A normal member's danmu, each with the time it arrived, until the end marker.</summary>
    private static async Task<Received> CollectAsync(IChatClient member, long stalledUid, TaskCompletionSource left, SemaphoreSlim credit)
    {
        var received = new Received();
        while (true)
        {
            var message = await member.ReceiveAsync(within: TimeSpan.FromSeconds(60));
            var at = Stopwatch.GetTimestamp();
            switch (message.GetProperty("type").GetString())
            {
                case "danmu" when message.GetProperty("text").GetString() is { } text:
                    if (text == End)
                    {
                        return received;
                    }

                    received.Texts.Add(text);
                    received.At.Add(at);
                    credit.Release();
                    break;
                case "event" when message.GetProperty("event").GetString() == "leaveroom" && message.GetProperty("uid").GetInt64() == stalledUid:
                    received.StalledLeftAt = at;
                    left.TrySetResult();
                    break;
            }
        }
    }

    private sealed class Received
    {
        public List<string> Texts { get; } = [];

        public List<long> At { get; } = [];

        public long? StalledLeftAt { get; set; }
    }

    /// <summary>
    /// A SignalR client (JSON protocol) made by hand, on a socket with a small receive buffer, that
    /// joins a room and then never reads again.
    /// </summary>
    private sealed class StalledMember(HttpClient http, IDisposable? connection) : IAsyncDisposable
    {
        private const string Handshake = "{\"protocol\":\"json\",\"version\":1}\u001e";

        public static async Task<StalledMember> JoinAsync(HubNode node, HttpTransportType transport, string room)
        {
            var http = new HttpClient(SmallReceiveBuffer()) { Timeout = RawClient.Timeout };
            var negotiated = await http.PostAsync(new Uri(node.HubUri + "/negotiate?negotiateVersion=1"), null);
            negotiated.EnsureSuccessStatusCode();
            var token = (await negotiated.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("connectionToken").GetString();
            var endpoint = new Uri($"{node.HubUri}?id={Uri.EscapeDataString(token!)}");
            var join = JsonSerializer.Serialize(new { type = 1, target = "join", arguments = new[] { new { room } } }) + "\u001e";
            switch (transport)
            {
                case HttpTransportType.WebSockets:
                    // The handshake and the join, then not a single receive: not even the handshake's answer is read.
                    var socket = new ClientWebSocket();
                    using (var timeout = new CancellationTokenSource(RawClient.Timeout))
                    {
                        await socket.ConnectAsync(new UriBuilder(endpoint) { Scheme = "ws" }.Uri, new HttpMessageInvoker(SmallReceiveBuffer()), timeout.Token);
                        await socket.SendAsync(Encoding.UTF8.GetBytes(Handshake), WebSocketMessageType.Text, true, timeout.Token);
                        await socket.SendAsync(Encoding.UTF8.GetBytes(join), WebSocketMessageType.Text, true, timeout.Token);
                    }

                    return new StalledMember(http, socket);

                case HttpTransportType.ServerSentEvents:
                    // The event stream is opened and never read; handshake and join go by POST.
                    using (var request = new HttpRequestMessage(HttpMethod.Get, endpoint))
                    {
                        request.Headers.Accept.ParseAdd("text/event-stream");
                        var events = await http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead);
                        events.EnsureSuccessStatusCode();
                        await PostAsync(http, endpoint, Handshake);
                        await PostAsync(http, endpoint, join);
                        return new StalledMember(http, events);
                    }

                default:
                    // The first poll only starts the transport (it returns at once, empty); after the handshake and
                    // the join by POST, no poll ever comes again.
                    (await http.GetAsync(endpoint)).EnsureSuccessStatusCode();
                    await PostAsync(http, endpoint, Handshake);
                    await PostAsync(http, endpoint, join);
                    return new StalledMember(http, null);
            }
        }

        public ValueTask DisposeAsync()
        {
            (connection as ClientWebSocket)?.Abort();
            connection?.Dispose();
            http.Dispose();
            return ValueTask.CompletedTask;
        }

        private static async Task PostAsync(HttpClient http, Uri endpoint, string body)
        {
            using var content = new StringContent(body, Encoding.UTF8, "text/plain");
            (await http.PostAsync(endpoint, content)).EnsureSuccessStatusCode();
        }

        /// <summary>Connections whose socket takes in little unread: the server's writes wait soon, as for a phone that went quiet.</summary>
        private static SocketsHttpHandler SmallReceiveBuffer() => new()
        {
            ConnectCallback = static async (context, cancellationToken) =>
            {
                var socket = new Socket(SocketType.Stream, ProtocolType.Tcp) { NoDelay = true, ReceiveBufferSize = 4096 };
                try
                {
                    await socket.ConnectAsync(context.DnsEndPoint, cancellationToken);
                    return new NetworkStream(socket, ownsSocket: true);
                }
                catch
                {
                    socket.Dispose();
                    throw;
                }
            },
        };
    }
}
