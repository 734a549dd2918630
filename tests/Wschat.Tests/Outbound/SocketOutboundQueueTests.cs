using System.Text;
using System.Threading.Channels;
using Microsoft.AspNetCore.Connections;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.SignalR;
using Microsoft.AspNetCore.SignalR.Protocol;
using Wschat.Outbound;

namespace Wschat.Tests.Outbound;

/// <summary>The queue of a raw socket: frames written to its stream as they are, everything queued in one write.</summary>
public sealed class SocketOutboundQueueTests : OutboundQueueSpecification
{
    [Fact]
    public async Task Frames_that_arrive_while_a_write_is_on_the_wire_leave_together_in_one_write_in_order()
    {
        var socket = new RecordingStream();
        await using var wire = new SocketWire(Queues(limit: 1024), socket);
        var queue = wire.Queue;

        Assert.True(queue.TryEnqueue("first"u8.ToArray()));
        await socket.WriteStarted.WaitAsync(Within);
        Assert.True(queue.TryEnqueue("a,"u8.ToArray()));
        Assert.True(queue.TryEnqueue("b,"u8.ToArray()));
        Assert.True(queue.TryEnqueue("c"u8.ToArray()));
        socket.Release();
        queue.Complete();
        await queue.Drained.WaitAsync(Within);

        Assert.Equal(["first", "a,b,c"], socket.Writes);
        Assert.False(queue.TryEnqueue("late"u8.ToArray()));
    }

    [Fact]
    public async Task A_failed_write_drops_the_socket_once_and_counts_no_slow_consumer()
    {
        await using var wire = new SocketWire(Queues(limit: 1024), new RecordingStream { Failure = new IOException("reset") });

        wire.Enqueue("frame");
        wire.Queue.Complete();
        await wire.Queue.Drained.WaitAsync(Within);

        Assert.Equal(1, wire.Drops);
        Assert.True(wire.Queue.IsBroken);
        Assert.False(wire.Queue.HasOverflowed);
        Assert.Empty(Metrics.Dropped);
    }

    private protected override IWire Open(OutboundQueues queues) => new SocketWire(queues, new RecordingStream());

    private protected override int SizeOf(string text) => Frame(text).Length;

    private static byte[] Frame(string text) => Encoding.UTF8.GetBytes(text + ",");

    private sealed class SocketWire : IWire
    {
        private readonly RecordingStream _socket;
        private readonly TaskCompletionSource _dropped = new(TaskCreationOptions.RunContinuationsAsynchronously);
        private int _drops;

        public SocketWire(OutboundQueues queues, RecordingStream socket)
        {
            var connection = new DefaultConnectionContext();
            _socket = socket;
            Features = connection.Features;
            Queue = queues.Create(connection, socket, () =>
            {
                Interlocked.Increment(ref _drops);
                _dropped.TrySetResult();
            });
        }

        public OutboundQueue Queue { get; }

        public IFeatureCollection Features { get; }

        public Task Dropped => _dropped.Task;

        public int Drops => Volatile.Read(ref _drops);

        public bool Enqueue(string text) => Queue.TryEnqueue(new SerializedHubMessage(new InvocationMessage("m", [text])), Frame(text));

        public void StartReading() => _socket.Release();

        public async Task<string[]> ReceiveAsync(int count)
        {
            using var timeout = new CancellationTokenSource(Within);
            var texts = new string[count];
            for (var i = 0; i < count; i++)
            {
                texts[i] = await _socket.Texts.ReadAsync(timeout.Token);
            }

            return texts;
        }

        public ValueTask DisposeAsync()
        {
            _socket.Release();
            return ValueTask.CompletedTask;
        }
    }

    /// <summary>
    /// A socket stream that records each write (and the comma-separated texts in it); its client reads nothing,
    /// every write waiting on the wire, until <see cref="Release"/>. It can fail every write instead.
    /// </summary>
    private sealed class RecordingStream : Stream
    {
        private readonly TaskCompletionSource _started = new(TaskCreationOptions.RunContinuationsAsynchronously);
        private readonly TaskCompletionSource _released = new(TaskCreationOptions.RunContinuationsAsynchronously);
        private readonly Channel<string> _texts = Channel.CreateUnbounded<string>();

        public Exception? Failure { get; init; }

        public List<string> Writes { get; } = [];

        public ChannelReader<string> Texts => _texts.Reader;

        public Task WriteStarted => _started.Task;

        public override bool CanRead => false;

        public override bool CanSeek => false;

        public override bool CanWrite => true;

        public override long Length => throw new NotSupportedException();

        public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }

        public void Release() => _released.TrySetResult();

        public override async ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken = default)
        {
            if (Failure is not null)
            {
                throw Failure;
            }

            var written = Encoding.UTF8.GetString(buffer.Span);
            lock (Writes)
            {
                Writes.Add(written);
            }

            foreach (var text in written.Split(',', StringSplitOptions.RemoveEmptyEntries))
            {
                _texts.Writer.TryWrite(text);
            }

            _started.TrySetResult();
            await _released.Task;
        }

        public override void Flush()
        {
        }

        public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException();

        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

        public override void SetLength(long value) => throw new NotSupportedException();

        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
    }
}
