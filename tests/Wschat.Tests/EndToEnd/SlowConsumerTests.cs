using System.Net.WebSockets;
using System.Text;
using System.Text.Json;
using Wschat.RawAdapter.Diagnostics;
using Wschat.Tests.Infrastructure;

namespace Wschat.Tests.EndToEnd;

/// <summary>A raw client that stops reading is dropped once its queue passes the limit, and counted; the room carries on.</summary>
public sealed class SlowConsumerTests
{
    private const int MaxQueuedBytes = 64 * 1024;

    // Danmu the sender may have outstanding: its own echoes queue for it too, under the same small limit (about
    // 18 KiB here), and a pump round delayed on a busy machine must not make the flooder a slow consumer.
    private const int Window = 20;

    [Fact]
    public async Task A_raw_client_that_stops_reading_is_dropped_counted_as_a_raw_slow_consumer_and_the_room_goes_on()
    {
        await using var node = await HubNode.StartAsync(settings:
            [$"Wschat:Outbound:MaxQueuedBytes={MaxQueuedBytes}", "Wschat:Limits:MessageBurst=1000000", "Wschat:Limits:MessagesPerSecond=1000000"]);
        using var drops = new SlowConsumerDrops(node);
        var room = SingleNodeFixture.NewRoom();
        using var stalled = new ClientWebSocket();
        await stalled.ConnectAsync(node.RawUri, CancellationToken.None);
        await stalled.SendAsync(Encoding.UTF8.GetBytes(JsonSerializer.Serialize(new { type = "join", room })), WebSocketMessageType.Text, true, CancellationToken.None);
        var stalledUid = await ReadOwnJoinAsync(stalled);
        await using var viewer = await ChatClients.ConnectAsync(node, ClientKind.Json);
        await viewer.JoinAsync(room);
        await using var sender = await ChatClients.ConnectAsync(node, ClientKind.Json);
        await sender.JoinAsync(room);

        // From here on the stalled client reads nothing: its socket buffers fill, then its queue.
        var dropped = viewer.ReceiveSkippingAsync("event", e => e.GetProperty("event").GetString() == "leaveroom" && e.GetProperty("uid").GetInt64() == stalledUid, TimeSpan.FromSeconds(60));
        var filler = new string('弹', 300);
        var sent = 0;
        for (; sent < 100_000 && !dropped.IsCompleted; sent++)
        {
            var text = filler + sent;
            await sender.SendAsync("danmu", new { text });
            if (sent % Window == Window - 1)
            {
                await sender.ReceiveSkippingAsync("danmu", d => d.GetProperty("text").GetString() == text);
            }
        }

        var leave = await dropped;
        Assert.Equal(2, leave.GetProperty("userscount").GetInt32());
        Assert.True(sent * filler.Length * 3 > MaxQueuedBytes, "more was sent than the queue may hold");
        Assert.Equal([WschatMeter.RawTransport], drops.Transports);

        await sender.SendAsync("danmu", new { text = "之后" });
        await viewer.ReceiveSkippingAsync("danmu", static d => d.GetProperty("text").GetString() == "之后");
    }

    private static async Task<long> ReadOwnJoinAsync(ClientWebSocket socket)
    {
        using var timeout = new CancellationTokenSource(RawClient.Timeout);
        var buffer = new byte[4096];
        while (true)
        {
            var result = await socket.ReceiveAsync(buffer, timeout.Token);
            using var message = JsonDocument.Parse(buffer.AsMemory(0, result.Count));
            if (message.RootElement.GetProperty("type").GetString() == "event")
            {
                return message.RootElement.GetProperty("uid").GetInt64();
            }
        }
    }
}
