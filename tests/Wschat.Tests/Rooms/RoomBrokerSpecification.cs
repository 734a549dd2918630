using Microsoft.Extensions.Logging;
using Wschat.Hub.Rooms;
using Xunit.Abstractions;
using static Wschat.Tests.Rooms.RoomMessages;

namespace Wschat.Tests.Rooms;

/// <summary>
/// What every <see cref="IRoomBroker"/> does, for each backplane. A backplane makes one broker per
/// node; two brokers of one backplane are two nodes of one cluster, in this process (in memory both
/// are the same broker: a single node).
/// </summary>
public abstract class RoomBrokerSpecification(ITestOutputHelper output) : IAsyncLifetime
{
    private readonly ILoggerFactory _logs = TestOutputLoggerProvider.Factory(output);

    private protected ITestOutputHelper Output { get; } = output;

    private protected static readonly RoomHistoryOptions DefaultHistory = new();

    private RoomTestBackplane? _backplane;

    private protected RoomTestBackplane Backplane => _backplane ?? throw new InvalidOperationException("not initialized");

    private protected static CancellationToken None => CancellationToken.None;

    private protected abstract Task<RoomTestBackplane> CreateBackplaneAsync(ILoggerFactory logs);

    public async Task InitializeAsync() => _backplane = await CreateBackplaneAsync(_logs);

    public async Task DisposeAsync()
    {
        if (_backplane is not null)
        {
            await _backplane.DisposeAsync();
        }

        _logs.Dispose();
    }

    private protected (IRoomBroker A, IRoomBroker B) TwoNodes(RoomHistoryOptions? history = null) =>
        (Backplane.CreateNode(history ?? DefaultHistory), Backplane.CreateNode(history ?? DefaultHistory));

    private protected static async Task<(RecordingSubscriber Subscriber, IAsyncDisposable Handle)> SubscribeAsync(IRoomBroker node, string room)
    {
        var subscriber = new RecordingSubscriber();
        var handle = await node.SubscribeAsync(room, subscriber, None).WaitAsync(Within);
        return (subscriber, handle);
    }

    /// <summary>A subscriber to the room on each of <paramref name="nodes"/>, for the rest of the test.</summary>
    private static async Task<RecordingSubscriber[]> SubscribersAsync(string room, params IRoomBroker[] nodes)
    {
        var subscribers = new RecordingSubscriber[nodes.Length];
        for (var i = 0; i < nodes.Length; i++)
        {
            subscribers[i] = (await SubscribeAsync(nodes[i], room)).Subscriber;
        }

        return subscribers;
    }

    /// <summary>Publishes m1..m<paramref name="count"/> from <paramref name="from"/>; returns them as a subscriber on <paramref name="watchedOn"/> received them.</summary>
    private protected static async Task<(RoomPublication[] Received, RecordingSubscriber Watcher, IAsyncDisposable Watching)> PublishNumberedAsync(IRoomBroker from, IRoomBroker watchedOn, string room, int count)
    {
        var (watcher, watching) = await SubscribeAsync(watchedOn, room);
        for (var i = 1; i <= count; i++)
        {
            from.Publish(room, Of($"m{i}"));
        }

        return (await watcher.ReceiveAsync(count), watcher, watching);
    }

    [Fact]
    public async Task PublishAsync_reports_the_place_each_message_got_as_subscribers_on_other_nodes_see_it()
    {
        var (a, b) = TwoNodes();
        var room = NewRoom();
        var (watcher, _) = await SubscribeAsync(b, room);

        // Mixed with fire-and-forget sends, so some share a batch with others.
        var places = new List<Task<RoomPosition>>();
        for (var i = 1; i <= 20; i++)
        {
            if (i % 3 == 0)
            {
                a.Publish(room, Of($"m{i}"));
            }
            else
            {
                places.Add(a.PublishAsync(room, Of($"m{i}")));
            }
        }

        var received = await watcher.ReceiveAsync(20);
        var reported = await Task.WhenAll(places).WaitAsync(RoomMessages.Within);
        var expected = received.Where((_, i) => (i + 1) % 3 != 0).Select(static p => p.Position);
        Assert.Equal(expected, reported);
    }

    [Fact]
    public async Task Messages_reach_every_subscriber_on_every_node_in_publish_order_with_offsets_increasing_by_one()
    {
        var (a, b) = TwoNodes();
        var room = NewRoom();
        var subscribers = await SubscribersAsync(room, a, a, b);
        string[] texts = [.. Enumerable.Range(0, 50).Select(i => $"m{i}")];

        foreach (var text in texts)
        {
            a.Publish(room, Of(text));
        }

        var epochs = new HashSet<string>();
        foreach (var subscriber in subscribers)
        {
            var received = await subscriber.ReceiveAsync(texts.Length);
            Assert.Equal(texts, received.Select(Text));
            AssertConsecutive(received, first: 1);
            epochs.Add(received[0].Position.Epoch);
        }

        Assert.Single(epochs);
    }

    [Fact]
    public async Task Two_nodes_publishing_at_once_give_every_subscriber_one_sequence_without_gaps_duplicates_or_loss()
    {
        const int PerNode = 300;
        var (a, b) = TwoNodes();
        var room = NewRoom();
        var subscribers = await SubscribersAsync(room, a, a, b, b);

        using var start = new Barrier(2);
        await Task.WhenAll(new[] { a, b }.Select((node, n) => Task.Run(() =>
        {
            start.SignalAndWait(Within);
            for (var i = 0; i < PerNode; i++)
            {
                node.Publish(room, Of($"{n}-{i:D4}"));
            }
        }))).WaitAsync(Within);

        string[]? first = null;
        foreach (var subscriber in subscribers)
        {
            var received = await subscriber.ReceiveAsync(2 * PerNode);
            AssertConsecutive(received, first: 1);
            var texts = received.Select(Text).ToArray();
            Assert.Equal(2 * PerNode, texts.Distinct().Count());

            // Each node's own messages keep the order it published them in.
            foreach (var n in new[] { "0-", "1-" })
            {
                var own = texts.Where(t => t.StartsWith(n, StringComparison.Ordinal)).ToArray();
                Assert.Equal(own.Order(StringComparer.Ordinal), own);
            }

            first ??= texts;
            Assert.Equal(first, texts);
        }
    }

    [Fact]
    public async Task Messages_not_kept_reach_subscribers_in_order_at_the_place_of_the_kept_one_before_them_and_leave_nothing()
    {
        var (a, b) = TwoNodes();
        var room = NewRoom();
        var (watcher, _) = await SubscribeAsync(b, room);

        a.Publish(room, EventOf("joined"));
        a.Publish(room, Of("m1"));
        a.Publish(room, EventOf("logged in"));
        a.Publish(room, Of("m2"));

        var received = await watcher.ReceiveAsync(4);
        Assert.Equal(["joined", "m1", "logged in", "m2"], received.Select(Text));
        Assert.Equal([0L, 1L, 1L, 2L], received.Select(static p => p.Position.Offset));
        Assert.All(received[1..], p => Assert.Equal(received[1].Position.Epoch, p.Position.Epoch));
        var history = await a.ReadHistoryAsync(room, RoomPosition.Start, 100, None).WaitAsync(Within);
        Assert.Equal(["m1", "m2"], history.Publications.Select(Text));
        Assert.Equal(received[3].Position, history.Last);

        // A room that only ever saw such messages has no epoch, and nothing of it is left once its subscribers are gone.
        var quiet = NewRoom();
        var (listener, listening) = await SubscribeAsync(b, quiet);
        a.Publish(quiet, EventOf("joined"));
        a.Publish(quiet, EventOf("left"));
        Assert.All(await listener.ReceiveAsync(2), p => Assert.Equal(RoomPosition.Start, p.Position));
        await listening.DisposeAsync().AsTask().WaitAsync(Within);
        a.Publish(quiet, EventOf("to nobody"));
        var read = await a.ReadHistoryAsync(quiet, RoomPosition.Start, 100, None).WaitAsync(Within);
        Assert.Equal(RoomPosition.Start, read.Last);
        Assert.Empty(read.Publications);
        Assert.Equal(0, await Backplane.CountRoomKeysAsync(quiet) ?? 0);
        Assert.Equal(2, listener.Count);
    }

    [Fact]
    public async Task History_keeps_the_last_Size_messages_and_reads_since_an_offset_of_the_current_epoch_only_newer_ones()
    {
        var history = new RoomHistoryOptions { Size = 5, TtlSeconds = 300 };
        var (a, b) = TwoNodes(history);
        var room = NewRoom();
        var epoch = (await PublishNumberedAsync(a, b, room, 8)).Received[^1].Position.Epoch;

        var all = await b.ReadHistoryAsync(room, RoomPosition.Start, 100, None).WaitAsync(Within);
        Assert.Equal(new RoomPosition(epoch, 8), all.Last);
        Assert.Equal(["m4", "m5", "m6", "m7", "m8"], all.Publications.Select(Text));
        AssertConsecutive(all.Publications, first: 4);
        Assert.All(all.Publications, p => Assert.Equal(epoch, p.Position.Epoch));

        var newer = await a.ReadHistoryAsync(room, new RoomPosition(epoch, 6), 100, None).WaitAsync(Within);
        Assert.Equal(["m7", "m8"], newer.Publications.Select(Text));
        Assert.Equal([7L, 8L], newer.Publications.Select(p => p.Position.Offset));

        var limited = await a.ReadHistoryAsync(room, new RoomPosition(epoch, 1), 2, None).WaitAsync(Within);
        Assert.Equal(["m4", "m5"], limited.Publications.Select(Text));

        var upToDate = await a.ReadHistoryAsync(room, new RoomPosition(epoch, 8), 100, None).WaitAsync(Within);
        Assert.Empty(upToDate.Publications);
        Assert.Equal(new RoomPosition(epoch, 8), upToDate.Last);
    }

    [Fact]
    public async Task History_read_since_another_epoch_starts_at_the_oldest_retained_message()
    {
        var history = new RoomHistoryOptions { Size = 3, TtlSeconds = 300 };
        var (a, b) = TwoNodes(history);
        var room = NewRoom();
        await PublishNumberedAsync(b, a, room, 5);

        var read = await a.ReadHistoryAsync(room, new RoomPosition("an-epoch-long-gone", 4), 100, None).WaitAsync(Within);
        Assert.Equal(["m3", "m4", "m5"], read.Publications.Select(Text));
        AssertConsecutive(read.Publications, first: 3);
        Assert.Equal(5, read.Last.Offset);
    }

    [Fact]
    public async Task History_expires_after_TtlSeconds_idle_and_the_next_message_begins_a_new_epoch_at_offset_1()
    {
        var history = new RoomHistoryOptions { Size = 10, TtlSeconds = 1 };
        var (a, b) = TwoNodes(history);
        var room = NewRoom();
        var (before, _, watching) = await PublishNumberedAsync(b, a, room, 3);
        var last = before[^1].Position;
        await watching.DisposeAsync().AsTask().WaitAsync(Within);

        await Backplane.LetHistoryExpireAsync(a, room, last, history);

        var read = await a.ReadHistoryAsync(room, last, 100, None).WaitAsync(Within);
        Assert.Empty(read.Publications);
        Assert.NotEqual(last.Epoch, read.Last.Epoch);
        Assert.Equal(0, read.Last.Offset);

        var (after, _) = await SubscribeAsync(a, room);
        b.Publish(room, Of("again"));
        var again = Assert.Single(await after.ReceiveAsync(1));
        Assert.Equal("again", Text(again));
        Assert.Equal(1, again.Position.Offset);
        Assert.NotEqual(last.Epoch, again.Position.Epoch);
        Assert.Equal(["again"], (await b.ReadHistoryAsync(room, RoomPosition.Start, 100, None)).Publications.Select(Text));
    }

    [Fact]
    public async Task After_the_last_subscription_on_a_node_is_disposed_nothing_more_reaches_it_and_the_node_stops_listening()
    {
        var (a, b) = TwoNodes();
        var room = NewRoom();
        var (gone, handle) = await SubscribeAsync(a, room);
        var (stays, staysHandle) = await SubscribeAsync(b, room);
        a.Publish(room, Of("before"));
        Assert.Equal("before", Text((await gone.ReceiveAsync(1))[0]));
        await stays.ReceiveUntilAsync("before");
        Assert.Equal(2, await Backplane.CountNodesListeningAsync(room) ?? 2);

        await handle.DisposeAsync().AsTask().WaitAsync(Within);
        Assert.Equal(1, await Backplane.CountNodesListeningAsync(room) ?? 1);

        a.Publish(room, Of("after from a"));
        await stays.ReceiveUntilAsync("after from a");
        b.Publish(room, Of("after from b"));
        await stays.ReceiveUntilAsync("after from b");

        // The barrier: a new subscriber on the same node gets a later message; the old one got nothing since.
        var (later, laterHandle) = await SubscribeAsync(a, room);
        a.Publish(room, Of("marker"));
        Assert.Equal("marker", Text((await later.ReceiveUntilAsync("marker"))[^1]));
        await stays.ReceiveUntilAsync("marker");
        Assert.Equal(1, gone.Count);

        await laterHandle.DisposeAsync().AsTask().WaitAsync(Within);
        await staysHandle.DisposeAsync().AsTask().WaitAsync(Within);
        Assert.Equal(0, await Backplane.CountNodesListeningAsync(room) ?? 0);
    }

    [Fact]
    public async Task Subscribing_again_after_unsubscribing_receives_again()
    {
        var (a, b) = TwoNodes();
        var room = NewRoom();
        var (first, handle) = await SubscribeAsync(a, room);
        b.Publish(room, Of("one"));
        await first.ReceiveUntilAsync("one");
        await handle.DisposeAsync().AsTask().WaitAsync(Within);

        var (second, _) = await SubscribeAsync(a, room);
        Assert.Equal(1, await Backplane.CountNodesListeningAsync(room) ?? 1);
        b.Publish(room, Of("from b"));
        Assert.Equal("from b", Text(Assert.Single(await second.ReceiveAsync(1))));
        a.Publish(room, Of("from a"));
        Assert.Equal("from a", Text(Assert.Single(await second.ReceiveAsync(1))));
        Assert.Equal(1, first.Count);
    }

    [Fact]
    public async Task Subscribing_while_the_last_unsubscribe_is_still_under_way_receives()
    {
        var (a, b) = TwoNodes();
        var room = NewRoom();
        var (_, handle) = await SubscribeAsync(a, room);
        for (var round = 0; round < 20; round++)
        {
            var leaving = handle.DisposeAsync().AsTask();
            (var subscriber, handle) = await SubscribeAsync(a, room);
            await leaving.WaitAsync(Within);

            var text = $"round {round}";
            b.Publish(room, Of(text));
            await subscriber.ReceiveUntilAsync(text);
            Assert.Equal(1, await Backplane.CountNodesListeningAsync(room) ?? 1);
        }
    }
}
