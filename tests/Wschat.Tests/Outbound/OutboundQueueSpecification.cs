using System.Collections.Concurrent;
using Microsoft.AspNetCore.Http.Features;
using Wschat.Outbound;
using Wschat.Tests.Infrastructure;

namespace Wschat.Tests.Outbound;

/// <summary>
/// What a connection's <see cref="OutboundQueue"/> does on every transport: each way onto the wire
/// (a raw socket's stream, a SignalR <c>HubConnectionContext</c>) runs the same cases, against a client
/// that can stop reading and start again.
/// </summary>
public abstract class OutboundQueueSpecification
{
    private protected static readonly TimeSpan Within = TimeSpan.FromSeconds(10);

    private protected RecordingMetrics Metrics { get; } = new();

    /// <summary>A connection of this transport with its queue, whose client does not read until <see cref="IWire.StartReading"/>.</summary>
    private protected abstract IWire Open(OutboundQueues queues);

    [Fact]
    public async Task What_was_queued_while_the_client_did_not_read_reaches_it_in_order_once_it_reads()
    {
        await using var wire = Open(Queues(limit: 1024 * 1024));
        string[] texts = [.. Enumerable.Range(0, 10).Select(static i => $"m{i}")];
        foreach (var text in texts)
        {
            Assert.True(wire.Enqueue(text));
        }

        wire.StartReading();

        Assert.Equal(texts, await wire.ReceiveAsync(texts.Length));
        Assert.Empty(Metrics.Dropped);
    }

    [Fact]
    public async Task Past_the_limit_the_connection_is_dropped_and_counted_once_and_its_queue_takes_nothing_more()
    {
        var size = SizeOf("m0");
        await using var wire = Open(Queues(limit: (3 * size) + (size / 2)));

        // The first is on the wire, waiting for the client; it counts until the client has it.
        Assert.True(wire.Enqueue("m0"));
        Assert.True(wire.Enqueue("m1"));
        Assert.True(wire.Enqueue("m2"));
        Assert.False(wire.Enqueue("m3"));
        Assert.False(wire.Enqueue("m4"));

        await wire.Dropped.WaitAsync(Within);
        Assert.Same(wire.Features, Assert.Single(Metrics.Dropped));
        Assert.True(wire.Queue.IsBroken);
        Assert.True(wire.Queue.HasOverflowed);
        Assert.False(wire.Enqueue("m5"));
    }

    [Fact]
    public async Task What_the_client_has_taken_no_longer_counts_against_the_limit()
    {
        // Room for two: the one the client just got may count a moment longer, until its write completes.
        var size = SizeOf("m0");
        await using var wire = Open(Queues(limit: 2 * size));
        wire.StartReading();
        for (var i = 0; i < 10; i++)
        {
            Assert.True(wire.Enqueue($"m{i}"));
            Assert.Equal([$"m{i}"], await wire.ReceiveAsync(1));
        }

        Assert.False(wire.Dropped.IsCompleted);
        Assert.Empty(Metrics.Dropped);
    }

    [Fact]
    public async Task The_connection_shows_its_queue_in_its_features()
    {
        await using var wire = Open(Queues(limit: 1024));

        Assert.Same(wire.Queue, wire.Features.Get<IOutboundQueueFeature>()?.Queue);
    }

    /// <summary>Bytes a message of <paramref name="text"/> takes in this transport's queue (texts of one length take the same).</summary>
    private protected abstract int SizeOf(string text);

    private protected OutboundQueues Queues(int limit) => TestOutbound.Queues(limit, Metrics);

    /// <summary>A connection's side of the test: its queue, and its client.</summary>
    private protected interface IWire : IAsyncDisposable
    {
        OutboundQueue Queue { get; }

        IFeatureCollection Features { get; }

        /// <summary>Completes once the transport was told to drop the connection.</summary>
        Task Dropped { get; }

        /// <summary>Queues a message of <paramref name="text"/>, as a broadcast would.</summary>
        bool Enqueue(string text);

        void StartReading();

        /// <summary>The texts of the next <paramref name="count"/> messages the client got.</summary>
        Task<string[]> ReceiveAsync(int count);
    }

    /// <summary>The connections the queues reported as dropped for falling behind.</summary>
    private protected sealed class RecordingMetrics : IOutboundMetrics
    {
        private readonly ConcurrentQueue<IFeatureCollection> _dropped = new();

        public IReadOnlyCollection<IFeatureCollection> Dropped => _dropped;

        public void SlowConsumerDropped(IFeatureCollection connection) => _dropped.Enqueue(connection);
    }
}
