using System.Buffers;
using System.IO.Pipelines;
using System.Text;
using Wschat.RawAdapter.Outbound;
using Wschat.RawAdapter.Transport;

namespace Wschat.Tests.Transport;

public sealed class OutboundQueueTests
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(10);

    [Fact]
    public async Task Frames_that_arrive_while_a_write_is_on_the_wire_leave_together_in_one_write_in_order()
    {
        var socket = new RecordingStream { Hold = true };
        var queue = new OutboundQueue(socket, new OutboundPump(), 1024, Unexpected);

        Assert.True(queue.TryEnqueue("first"u8.ToArray()));
        await socket.WriteStarted.WaitAsync(Timeout);
        Assert.True(queue.TryEnqueue("a,"u8.ToArray()));
        Assert.True(queue.TryEnqueue("b,"u8.ToArray()));
        Assert.True(queue.TryEnqueue("c"u8.ToArray()));
        socket.Release();
        queue.Complete();
        await queue.Drained.WaitAsync(Timeout);

        Assert.Equal(["first", "a,b,c"], socket.Writes);
        Assert.False(queue.TryEnqueue("late"u8.ToArray()));
    }

    [Fact]
    public async Task Past_the_limit_the_queue_drops_the_socket_once_and_keeps_nothing()
    {
        var socket = new RecordingStream { Hold = true };
        var drops = new List<Exception?>();
        var queue = new OutboundQueue(socket, new OutboundPump(), 10, drops.Add);

        Assert.True(queue.TryEnqueue("held"u8.ToArray()));
        await socket.WriteStarted.WaitAsync(Timeout);
        Assert.True(queue.TryEnqueue("123456"u8.ToArray()));
        Assert.False(queue.TryEnqueue("12345"u8.ToArray()));
        Assert.False(queue.TryEnqueue("1"u8.ToArray()));
        socket.Release();
        await queue.Drained.WaitAsync(Timeout);

        Assert.Equal([null], drops);
        Assert.True(queue.HasOverflowed);
        Assert.True(queue.IsBroken);
        Assert.Equal(["held"], socket.Writes);
    }

    [Fact]
    public async Task A_failed_write_drops_the_socket_with_its_error()
    {
        var socket = new RecordingStream { Failure = new IOException("reset") };
        var drops = new List<Exception?>();
        var queue = new OutboundQueue(socket, new OutboundPump(), 1024, drops.Add);

        queue.TryEnqueue("frame"u8.ToArray());
        queue.Complete();
        await queue.Drained.WaitAsync(Timeout);

        Assert.IsType<IOException>(Assert.Single(drops));
        Assert.True(queue.IsBroken);
        Assert.False(queue.HasOverflowed);
    }

    [Fact]
    public async Task The_writer_drops_the_handshake_response_and_queues_each_flush_and_each_shared_buffer_in_order()
    {
        var socket = new RecordingStream();
        var queue = new OutboundQueue(socket, new OutboundPump(), 1024, Unexpected);
        PipeWriter writer = new OutboundQueueWriter(queue);

        writer.Write("{}\u001e"u8);
        Assert.False((await writer.FlushAsync()).IsCompleted);
        writer.Write("own,"u8);
        Assert.Equal(4, writer.UnflushedBytes);
        Assert.False((await writer.WriteAsync("shared"u8.ToArray())).IsCompleted);
        writer.Complete();
        await queue.Drained.WaitAsync(Timeout);

        Assert.Equal("own,shared", string.Concat(socket.Writes));
        Assert.True((await writer.FlushAsync()).IsCompleted);
    }

    private static void Unexpected(Exception? failure) => Assert.Fail($"the socket was dropped: {failure?.Message ?? "overflow"}");

    /// <summary>A socket stream that records each write; it can hold a write on the wire, or fail it.</summary>
    private sealed class RecordingStream : Stream
    {
        private readonly TaskCompletionSource _started = new(TaskCreationOptions.RunContinuationsAsynchronously);
        private readonly TaskCompletionSource _released = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public bool Hold { get; init; }

        public Exception? Failure { get; init; }

        public List<string> Writes { get; } = [];

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

            lock (Writes)
            {
                Writes.Add(Encoding.UTF8.GetString(buffer.Span));
            }

            if (Hold && _started.TrySetResult())
            {
                await _released.Task;
            }
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
