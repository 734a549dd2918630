using System.IO.Pipelines;
using Microsoft.AspNetCore.Connections;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.SignalR;
using Microsoft.AspNetCore.SignalR.Protocol;
using Microsoft.Extensions.Logging.Abstractions;
using Wschat.Outbound;
using Wschat.Tests.Rooms;

namespace Wschat.Tests.Outbound;

/// <summary>The queue in front of a SignalR connection (every SignalR transport): messages written through its <see cref="HubConnectionContext"/>.</summary>
public sealed class HubConnectionOutboundQueueTests : OutboundQueueSpecification
{
    [Fact]
    public async Task A_SignalR_connection_gets_one_queue_of_its_own_and_a_connection_whose_transport_made_one_keeps_that()
    {
        var queues = Queues(limit: 1024);
        await using var signalR = new TestHubConnection();
        var own = queues.GetOrCreate(signalR.Context);
        Assert.Same(own, queues.GetOrCreate(signalR.Context));

        var raw = new DefaultConnectionContext();
        var transports = queues.Create(raw, Stream.Null, static () => { });
        var hubSide = new HubConnectionContext(raw, new HubConnectionContextOptions(), NullLoggerFactory.Instance);

        Assert.Same(transports, queues.GetOrCreate(hubSide));
        Assert.NotSame(own, transports);
    }

    private protected override IWire Open(OutboundQueues queues) => new HubConnectionWire(queues);

    private protected override int SizeOf(string text) => Message(text).Bytes.Length;

    private static (SerializedHubMessage Message, ReadOnlyMemory<byte> Bytes) Message(string text)
    {
        var message = new SerializedHubMessage(new InvocationMessage("m", [text]));
        return (message, message.GetSerializedMessage(RoomMessages.Json));
    }

    /// <summary>A SignalR client whose pipe takes nothing more until it is read: the first write waits for it.</summary>
    private sealed class HubConnectionWire(OutboundQueues queues) : IWire
    {
        private readonly TestHubConnection _client = new(reads: false, new PipeOptions(pauseWriterThreshold: 1, resumeWriterThreshold: 1));

        public OutboundQueue Queue => queues.GetOrCreate(_client.Context);

        public IFeatureCollection Features => _client.Context.Features;

        public Task Dropped => _client.Aborted;

        public bool Enqueue(string text)
        {
            var (message, bytes) = Message(text);
            return Queue.TryEnqueue(message, bytes);
        }

        public void StartReading() => _client.StartReading();

        public async Task<string[]> ReceiveAsync(int count) => [.. (await _client.ReceiveTextsAsync(count)).Select(static text => text!)];

        public ValueTask DisposeAsync() => _client.DisposeAsync();
    }
}
