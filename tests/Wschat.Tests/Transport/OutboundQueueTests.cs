using System.Buffers;
using System.IO.Pipelines;
using System.Text;
using Wschat.RawAdapter.Transport;

namespace Wschat.Tests.Transport;

public sealed class OutboundQueueTests
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(10);

    [Fact]
    public void Frames_queued_while_the_reader_is_away_come_out_in_one_take_in_order()
    {
        var queue = new OutboundQueue(1024, Unexpected);
        Assert.True(queue.TryEnqueue("one,"u8.ToArray()));
        Assert.True(queue.TryEnqueue("two,"u8.ToArray()));
        Assert.True(queue.TryEnqueue("three"u8.ToArray()));

        Assert.Equal("one,two,three", Take(queue));
        Assert.False(queue.TryTake(out _, out _));
    }

    [Fact]
    public async Task A_waiting_reader_wakes_for_the_next_frame_and_after_completion_sees_the_end()
    {
        var queue = new OutboundQueue(1024, Unexpected);
        var waiting = queue.WaitToReadAsync().AsTask();
        Assert.False(waiting.IsCompleted);

        queue.TryEnqueue("frame"u8.ToArray());
        Assert.True(await waiting.WaitAsync(Timeout));
        Assert.Equal("frame", Take(queue));

        waiting = queue.WaitToReadAsync().AsTask();
        queue.TryEnqueue("last"u8.ToArray());
        queue.Complete();
        Assert.True(await waiting.WaitAsync(Timeout));
        Assert.Equal("last", Take(queue));
        Assert.False(await queue.WaitToReadAsync());
        Assert.False(queue.TryEnqueue("late"u8.ToArray()));
    }

    [Fact]
    public async Task Past_the_limit_the_queue_closes_once_drops_what_waits_and_reports_the_overflow()
    {
        var overflows = 0;
        var queue = new OutboundQueue(10, () => overflows++);
        var waiting = queue.WaitToReadAsync().AsTask();

        Assert.True(queue.TryEnqueue("123456"u8.ToArray()));
        Assert.True(await waiting);
        Assert.False(queue.TryEnqueue("12345"u8.ToArray()));
        Assert.False(queue.TryEnqueue("1"u8.ToArray()));

        Assert.Equal(1, overflows);
        Assert.True(queue.HasOverflowed);
        Assert.True(queue.IsClosed);
        Assert.False(await queue.WaitToReadAsync());
    }

    [Fact]
    public async Task The_writer_drops_the_handshake_response_and_queues_each_flush_and_each_shared_buffer()
    {
        var queue = new OutboundQueue(1024, Unexpected);
        PipeWriter writer = new OutboundQueueWriter(queue);
        var shared = "shared"u8.ToArray();

        writer.Write("{}\u001e"u8);
        Assert.False((await writer.FlushAsync()).IsCompleted);
        Assert.False(queue.TryTake(out _, out _));

        writer.Write("own,"u8);
        Assert.Equal(4, writer.UnflushedBytes);
        Assert.False((await writer.WriteAsync(shared)).IsCompleted);
        Assert.Equal("own,shared", Take(queue));

        writer.Complete();
        Assert.True(queue.IsClosed);
        Assert.True((await writer.FlushAsync()).IsCompleted);
    }

    private static string Take(OutboundQueue queue)
    {
        Assert.True(queue.TryTake(out var frames, out var length));
        var text = Encoding.UTF8.GetString(frames, 0, length);
        OutboundQueue.Release(frames);
        return text;
    }

    private static void Unexpected() => Assert.Fail("the queue overflowed");
}
