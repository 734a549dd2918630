using System.Threading.Channels;
using Wschat.Hub.Rooms;
using Wschat.Tests.Infrastructure;
using Xunit.Abstractions;
using static Wschat.Tests.Rooms.RoomMessages;

namespace Wschat.Tests.Rooms;

/// <summary>
/// What every <see cref="IClusterBus{THub}"/> does: a send reaches the publishing node's listener before
/// <c>Publish</c> returns, and every node's listener once, in the order published, as it was made. The nodes a
/// test makes are one cluster (in memory every node is the one bus of a single node).
/// </summary>
public abstract class ClusterBusSpecification(ITestOutputHelper output) : BackendSpecification(output)
{
    // A listener per distinct bus: in memory every node is one.
    private readonly Dictionary<IClusterBus<SpecHub>, RecordingListener> _listeners = new(ReferenceEqualityComparer.Instance);

    /// <summary>A new node's bus, not listening yet.</summary>
    private protected abstract Task<IClusterBus<SpecHub>> CreateNodeAsync();

    /// <summary>A new node's bus and what its listener has got; a bus made before is returned with its listener.</summary>
    private async Task<(IClusterBus<SpecHub> Node, RecordingListener Heard)> StartNodeAsync()
    {
        var node = await CreateNodeAsync();
        if (!_listeners.TryGetValue(node, out var heard))
        {
            _listeners[node] = heard = new RecordingListener();
            await node.ListenAsync(heard.Deliver).DefaultTimeout();
        }

        return (node, heard);
    }

    private static ClusterSend Send(ClusterSendKind kind, string text, IReadOnlyList<string> targets, IReadOnlyList<string>? excluded = null) =>
        new(kind, targets, new RoomMessage(RoomMessage.Serialize("m", [text]), excluded));

    /// <summary>What a send is to its receivers: who it is for, the text, who is left out.</summary>
    private static string Describe(ClusterSend send) =>
        $"{send.Kind} [{string.Join(",", send.Targets)}] {Text(new RoomPublication(RoomPosition.Start, send.Message))} -[{string.Join(",", send.Message.ExcludedConnectionIds ?? [])}]";

    [Fact]
    public async Task A_send_reaches_the_publishing_nodes_listener_before_Publish_returns()
    {
        var (a, heard) = await StartNodeAsync();
        await StartNodeAsync();

        a.Publish(Send(ClusterSendKind.Users, "now", ["1001"]));

        Assert.Equal(1, heard.Count);
        Assert.Equal(Describe(Send(ClusterSendKind.Users, "now", ["1001"])), Describe(await heard.ReceiveAsync()));
    }

    [Fact]
    public async Task Every_send_reaches_every_node_once_in_the_order_published_as_it_was_made()
    {
        var (a, _) = await StartNodeAsync();
        await StartNodeAsync();
        await StartNodeAsync();
        ClusterSend[] sends =
        [
            Send(ClusterSendKind.All, "to everyone", [], ["conn-1", "conn-2"]),
            Send(ClusterSendKind.Users, "to uids", ["1001", "1002"]),
            Send(ClusterSendKind.Connections, "to connections", ["conn-3"]),
            Send(ClusterSendKind.Kick, "kicked 😀", ["直播间", "1001"]),
            .. Enumerable.Range(0, 50).Select(i => Send(ClusterSendKind.Users, $"m{i}", [$"{i}"])),
        ];

        foreach (var send in sends)
        {
            a.Publish(send);
        }

        string[] expected = [.. sends.Select(Describe)];
        foreach (var heard in _listeners.Values)
        {
            Assert.Equal(expected, (await heard.ReceiveAsync(sends.Length)).Select(Describe));
        }
    }

    /// <summary>The publisher's own send does not come back: by the time another node's later send reaches it, nothing else has.</summary>
    [Fact]
    public async Task A_node_hears_its_own_sends_once()
    {
        var (a, heardOnA) = await StartNodeAsync();
        var (b, heardOnB) = await StartNodeAsync();

        a.Publish(Send(ClusterSendKind.All, "from a", []));
        await heardOnB.ReceiveAsync(ReferenceEquals(a, b) ? 0 : 1);
        b.Publish(Send(ClusterSendKind.All, "from b", []));

        Assert.Equal(["from a", "from b"], (await heardOnA.ReceiveAsync(2)).Select(static send => Text(new RoomPublication(RoomPosition.Start, send.Message))));
        await heardOnA.AssertNothingMoreAsync(b, Send(ClusterSendKind.All, "marker", []));
    }

    /// <summary>Records what a bus hands its listener; tests await the sends they expect.</summary>
    private sealed class RecordingListener
    {
        private readonly Channel<ClusterSend> _heard = Channel.CreateUnbounded<ClusterSend>();
        private int _count;

        public int Count => Volatile.Read(ref _count);

        public void Deliver(ClusterSend send)
        {
            Interlocked.Increment(ref _count);
            _heard.Writer.TryWrite(send);
        }

        public async Task<ClusterSend> ReceiveAsync() => (await ReceiveAsync(1))[0];

        public async Task<ClusterSend[]> ReceiveAsync(int count)
        {
            var received = new ClusterSend[count];
            for (var i = 0; i < count; i++)
            {
                received[i] = await _heard.Reader.ReadAsync().AsTask().DefaultTimeout();
            }

            return received;
        }

        /// <summary>The next send it hears is <paramref name="marker"/>, published now by <paramref name="from"/>.</summary>
        public async Task AssertNothingMoreAsync(IClusterBus<SpecHub> from, ClusterSend marker)
        {
            from.Publish(marker);
            Assert.Equal(Describe(marker), Describe(await ReceiveAsync()));
        }
    }
}
