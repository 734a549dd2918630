using System.Diagnostics;
using Microsoft.Extensions.Logging;
using Wschat.Hub.Rooms;
using Wschat.Tests.Infrastructure;
using Xunit.Abstractions;
using static Wschat.Tests.Rooms.RoomMessages;

namespace Wschat.Tests.Rooms;

/// <summary>The room broker of a cluster: two nodes, each on its own connection to one real redis-server.</summary>
public sealed class RedisRoomBrokerTests(ITestOutputHelper output) : RoomBrokerSpecification(output)
{
    private RedisTestBackplane Redis => (RedisTestBackplane)Backplane;

    private protected override async Task<RoomTestBackplane> CreateBackplaneAsync(ILoggerFactory logs) => await RedisTestBackplane.StartAsync(logs);

    /// <summary>
    /// The coalescing window is one script round trip: a message published while the room's previous
    /// script is out waits for it and goes with the others as one Redis message. Prints the measure.
    /// </summary>
    [Fact]
    public async Task A_quiet_rooms_message_travels_alone_and_a_burst_travels_in_fewer_Redis_messages_than_messages()
    {
        const int Burst = 2000;
        var (a, b) = TwoNodes();
        var room = NewRoom();
        var (onB, _) = await SubscribeAsync(b, room);

        a.Publish(room, Of("warm-up"));
        await onB.ReceiveAsync(1);
        var quiet = Stopwatch.StartNew();
        a.Publish(room, Of("alone"));
        Assert.Equal("alone", Text(Assert.Single(await onB.ReceiveAsync(1))));
        quiet.Stop();
        Assert.Equal(2, onB.Batches);

        var burst = Stopwatch.StartNew();
        for (var i = 0; i < Burst; i++)
        {
            a.Publish(room, Of($"m{i}"));
        }

        var received = await onB.ReceiveAsync(Burst);
        burst.Stop();
        AssertConsecutive(received);
        Assert.Equal(Enumerable.Range(0, Burst).Select(i => $"m{i}"), received.Select(Text));
        var batches = onB.Batches - 2;
        Output.WriteLine($"one quiet message: {quiet.Elapsed.TotalMilliseconds:F2} ms from publish to the other node; "
            + $"{Burst} back to back: {batches} Redis messages (mean batch {(double)Burst / batches:F1}), {burst.Elapsed.TotalMilliseconds:F0} ms");
        Assert.True(batches < Burst / 2, $"{Burst} messages published back to back took {batches} Redis messages");
    }

    [Fact]
    public async Task After_a_FLUSHALL_the_epoch_changes_and_offsets_restart_at_1()
    {
        var (a, b) = TwoNodes();
        var room = NewRoom();
        var (before, subscriber, _) = await PublishNumberedAsync(a, b, room, 3);
        var old = before[^1].Position;

        await using (var admin = await Redis.AdminAsync())
        {
            await admin.GetServer(admin.GetEndPoints()[0]).FlushAllDatabasesAsync();
        }

        a.Publish(room, Of("after"));
        var after = Assert.Single(await subscriber.ReceiveAsync(1));
        Assert.Equal("after", Text(after));
        Assert.Equal(1, after.Position.Offset);
        Assert.NotEqual(old.Epoch, after.Position.Epoch);

        var read = await b.ReadHistoryAsync(room, old, 100, None).WaitAsync(Within);
        Assert.Equal(["after"], read.Publications.Select(Text));
        Assert.Equal(after.Position, read.Last);
    }

    [Fact]
    public async Task Nodes_that_subscribe_as_soon_as_they_are_connected_receive_what_is_published_after()
    {
        // Twenty nodes starting at once, each subscribing once it says Redis is up: a node's subscription link may
        // still be connecting when its commands already go through.
        const int Nodes = 20;
        var publisher = Backplane.CreateNode(DefaultHistory);
        var room = NewRoom();
        // A node connects to Redis synchronously as it is made: each on a thread of its own, or twenty would hold
        // the thread pool that every other test in this process runs on (seconds of starvation on 2 cores).
        var subscribers = await Task.WhenAll(Enumerable.Range(0, Nodes).Select(_ => Task.Factory.StartNew(
            async () => (await SubscribeAsync(await Redis.CreateConnectedNodeAsync(DefaultHistory), room)).Subscriber,
            CancellationToken.None,
            TaskCreationOptions.LongRunning,
            TaskScheduler.Default).Unwrap())).WaitAsync(TimeSpan.FromSeconds(60));

        publisher.Publish(room, Of("to every node"));

        var got = await Task.WhenAll(subscribers.Select(async subscriber =>
        {
            try
            {
                await subscriber.ReceiveUntilAsync("to every node");
                return true;
            }
            catch (TimeoutException)
            {
                return false;
            }
        }));
        var missed = got.Count(static g => !g);
        Assert.True(missed == 0, $"{missed} of {Nodes} nodes never got the room's message");
    }

    [Fact]
    public async Task While_Redis_is_down_Publish_neither_throws_nor_blocks_and_local_subscribers_still_receive_and_afterwards_nodes_hear_each_other_again()
    {
        var (a, b) = TwoNodes();
        var room = NewRoom();
        var (onA, _) = await SubscribeAsync(a, room);
        var (onB, _) = await SubscribeAsync(b, room);
        a.Publish(room, Of("before"));
        var redisEpoch = (await onA.ReceiveAsync(1))[0].Position.Epoch;
        await onB.ReceiveUntilAsync("before");

        await Redis.Server.StopAsync();

        string[] texts = [.. Enumerable.Range(0, 20).Select(i => $"during {i}")];
        var publishing = Stopwatch.StartNew();
        foreach (var text in texts)
        {
            a.Publish(room, Of(text));
        }

        publishing.Stop();
        Assert.True(publishing.Elapsed < TimeSpan.FromSeconds(1), $"20 publishes took {publishing.Elapsed} with Redis down");

        var during = await onA.ReceiveAsync(texts.Length, TimeSpan.FromSeconds(15));
        Assert.Equal(texts.Order(StringComparer.Ordinal), during.Select(Text).Order(StringComparer.Ordinal));
        Assert.All(during, p => Assert.NotEqual(redisEpoch, p.Position.Epoch));
        AssertConsecutive(during);

        // In publish order too: a message that was on its way to Redis when it went away is not overtaken.
        Assert.Equal(texts, during.Select(Text));

        await Redis.Server.RestartAsync();

        var probes = 0;
        await Eventually.GetAsync(
            async () =>
            {
                var text = $"probe {probes++}";
                a.Publish(room, Of(text));
                return await onB.ReceiveUntilAsync(text, TimeSpan.FromSeconds(2));
            },
            TimeSpan.FromSeconds(30),
            "a message from node A reaching node B after Redis restarted");
        b.Publish(room, Of("from b"));
        await onA.ReceiveUntilAsync("from b");
    }

    [Fact]
    public async Task While_Redis_is_down_a_rooms_history_numbered_on_the_node_goes_with_its_last_subscriber_there()
    {
        var node = Backplane.CreateNode(DefaultHistory);
        var room = NewRoom();
        var (subscriber, handle) = await SubscribeAsync(node, room);
        await Redis.Server.StopAsync();
        await Redis.WaitUntilDownAsync(node);

        node.Publish(room, Of("during"));
        var during = Assert.Single(await subscriber.ReceiveAsync(1, TimeSpan.FromSeconds(15)));
        var kept = await node.ReadHistoryAsync(room, RoomPosition.Start, 10, None).WaitAsync(Within);
        Assert.Equal(["during"], kept.Publications.Select(Text));
        Assert.Equal(during.Position, kept.Last);

        await handle.DisposeAsync().AsTask().WaitAsync(Within);
        var gone = await node.ReadHistoryAsync(room, RoomPosition.Start, 10, None).WaitAsync(Within);
        Assert.Equal(RoomPosition.Start, gone.Last);
        Assert.Empty(gone.Publications);
    }
}
