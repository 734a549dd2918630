using System.Buffers;
using System.IO.Pipelines;
using System.Text;
using Microsoft.AspNetCore.Connections;
using Wschat.RawAdapter.Transport;
using Wschat.Tests.Infrastructure;

namespace Wschat.Tests.Transport;

public sealed class OutboundQueueWriterTests
{
    [Fact]
    public async Task The_writer_drops_the_handshake_response_and_queues_each_flush_and_each_shared_buffer_in_order()
    {
        using var socket = new MemoryStream();
        var queue = TestOutbound.Queues(limit: 1024).Create(new DefaultConnectionContext(), socket, static () => Assert.Fail("the socket was dropped"));
        PipeWriter writer = new OutboundQueueWriter(queue);

        writer.Write("{}\u001e"u8);
        Assert.False((await writer.FlushAsync()).IsCompleted);
        writer.Write("own,"u8);
        Assert.Equal(4, writer.UnflushedBytes);
        Assert.False((await writer.WriteAsync("shared"u8.ToArray())).IsCompleted);
        writer.Complete();
        await queue.Drained.WaitAsync(TimeSpan.FromSeconds(10));

        Assert.Equal("own,shared", Encoding.UTF8.GetString(socket.ToArray()));
        Assert.True((await writer.FlushAsync()).IsCompleted);
    }
}
