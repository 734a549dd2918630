using System.Buffers;
using Wschat.RawAdapter.Protocol;

namespace Wschat.Tests.Protocol;

public sealed class WebSocketTextFrameTests
{
    [Theory]
    [InlineData(0, new byte[] { 0x81, 0 })]
    [InlineData(125, new byte[] { 0x81, 125 })]
    [InlineData(126, new byte[] { 0x81, 126, 0, 126 })]
    [InlineData(65535, new byte[] { 0x81, 126, 0xFF, 0xFF })]
    [InlineData(65536, new byte[] { 0x81, 127, 0, 0, 0, 0, 0, 1, 0, 0 })]
    public void A_frame_is_a_final_unmasked_text_frame_with_the_shortest_length_encoding(int length, byte[] header)
    {
        var payload = Enumerable.Range(0, length).Select(static i => (byte)('a' + (i % 26))).ToArray();
        var output = new ArrayBufferWriter<byte>();

        WebSocketTextFrame.Write(output, payload);

        Assert.Equal(header, output.WrittenSpan[..header.Length].ToArray());
        Assert.Equal(payload, output.WrittenSpan[header.Length..].ToArray());
    }

    [Fact]
    public void Frames_read_back_one_at_a_time_and_an_incomplete_one_waits()
    {
        var output = new ArrayBufferWriter<byte>();
        WebSocketTextFrame.Write(output, "{\"type\":\"hello\"}"u8);
        WebSocketTextFrame.Write(output, new byte[300]);
        var all = output.WrittenMemory;

        var input = new ReadOnlySequence<byte>(all);
        Assert.True(WebSocketTextFrame.TryRead(ref input, out var first));
        Assert.Equal("{\"type\":\"hello\"}"u8.ToArray(), first.ToArray());
        Assert.True(WebSocketTextFrame.TryRead(ref input, out var second));
        Assert.Equal(300, second.Length);
        Assert.True(input.IsEmpty);

        for (var cut = 0; cut < all.Length - 300; cut++)
        {
            var partial = new ReadOnlySequence<byte>(all[(all.Length - 304)..][..Math.Min(cut, 303)]);
            Assert.False(WebSocketTextFrame.TryRead(ref partial, out _));
        }
    }
}
