using System.Buffers;
using System.Buffers.Binary;
using System.Collections.Concurrent;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Threading.Channels;
using Microsoft.AspNetCore.Http.Features;

var builder = WebApplication.CreateSlimBuilder(args);
builder.Logging.ClearProviders();
var app = builder.Build();
var rooms = new ConcurrentDictionary<string, ConcurrentDictionary<Member, byte>>();
app.Map("/", async context =>
{
    var upgrade = context.Features.Get<IHttpUpgradeFeature>()!;
#pragma warning disable CA5350 // SHA-1 is what RFC 6455 prescribes for the accept key.
    var accept = Convert.ToBase64String(SHA1.HashData(Encoding.ASCII.GetBytes(context.Request.Headers.SecWebSocketKey + "258EAFA5-E914-47DA-95CA-C5AB0DC85B11")));
#pragma warning restore CA5350
    context.Response.Headers.Upgrade = "websocket";
    context.Response.Headers.Connection = "Upgrade";
    context.Response.Headers.SecWebSocketAccept = accept;
    var stream = await upgrade.UpgradeAsync();
    var member = new Member(stream);
    var writing = member.WriteLoopAsync();
    try
    {
        await member.ReadLoopAsync(rooms);
    }
    finally
    {
        member.Outbox.Writer.TryComplete();
        foreach (var room in rooms.Values)
        {
            room.TryRemove(member, out _);
        }

        await writing;
    }
});
app.Run();

internal sealed class Member(Stream stream)
{
    public Channel<byte[]> Outbox { get; } = Channel.CreateUnbounded<byte[]>(new UnboundedChannelOptions { SingleReader = true });

    /// <summary>
    /// Everything queued goes out in one write and one flush, through a pooled buffer held only
    /// for that write: an idle member owns no write buffer.
    /// </summary>
    public async Task WriteLoopAsync()
    {
        var queued = new List<byte[]>();
        try
        {
            while (await Outbox.Reader.WaitToReadAsync())
            {
                queued.Clear();
                while (Outbox.Reader.TryRead(out var frame))
                {
                    queued.Add(frame);
                }

                var batch = ArrayPool<byte>.Shared.Rent(queued.Sum(static f => f.Length));
                try
                {
                    var length = 0;
                    foreach (var frame in queued)
                    {
                        frame.CopyTo(batch, length);
                        length += frame.Length;
                    }

                    await stream.WriteAsync(batch.AsMemory(0, length));
                    await stream.FlushAsync();
                }
                finally
                {
                    ArrayPool<byte>.Shared.Return(batch);
                }
            }
        }
        catch (IOException)
        {
        }
    }

    /// <summary>
    /// Waits for data with a zero-byte read, so an idle member holds no read buffer; a pooled one
    /// is rented while bytes are there and kept only while a frame is incomplete.
    /// </summary>
    public async Task ReadLoopAsync(ConcurrentDictionary<string, ConcurrentDictionary<Member, byte>> rooms)
    {
        byte[]? buffer = null;
        var filled = 0;
        string? room = null;
        try
        {
            while (true)
            {
                if (filled == 0)
                {
                    Release(ref buffer);
#pragma warning disable CA2022 // A zero-byte read only waits for data; it reads nothing by design.
                    await stream.ReadAsync(Memory<byte>.Empty);
#pragma warning restore CA2022
                }

                buffer ??= ArrayPool<byte>.Shared.Rent(16 * 1024);
                var read = await stream.ReadAsync(buffer.AsMemory(filled));
                if (read == 0)
                {
                    return;
                }

                filled += read;
                var offset = 0;
                while (TryReadFrame(buffer.AsSpan(offset, filled - offset), out var opcode, out var consumed, out var payload))
                {
                    offset += consumed;
                    if (opcode == 8)
                    {
                        return;
                    }

                    using var message = JsonDocument.Parse(payload);
                    var root = message.RootElement;
                    if (root.GetProperty("type").GetString() == "join")
                    {
                        room = root.GetProperty("room").GetString()!;
                        rooms.GetOrAdd(room, static _ => new()).TryAdd(this, 0);
                    }
                    else if (room is not null && rooms.TryGetValue(room, out var members))
                    {
                        // Serialized once; the same bytes go to every member.
                        var frame = Frame(Encoding.UTF8.GetBytes($"{{\"type\":\"danmu\",\"text\":{JsonSerializer.Serialize(root.GetProperty("text").GetString())},\"uid\":\"0\",\"avatar\":\"\",\"username\":\"\"}}"));
                        foreach (var member in members.Keys)
                        {
                            member.Outbox.Writer.TryWrite(frame);
                        }
                    }
                }

                buffer.AsSpan(offset, filled - offset).CopyTo(buffer);
                filled -= offset;
            }
        }
        catch (IOException)
        {
        }
        finally
        {
            Release(ref buffer);
        }
    }

    private static void Release(ref byte[]? buffer)
    {
        if (buffer is not null)
        {
            ArrayPool<byte>.Shared.Return(buffer);
            buffer = null;
        }
    }

    private static byte[] Frame(byte[] payload)
    {
        var header = payload.Length < 126 ? 2 : 4;
        var frame = new byte[header + payload.Length];
        frame[0] = 0x81;
        if (header == 2)
        {
            frame[1] = (byte)payload.Length;
        }
        else
        {
            frame[1] = 126;
            BinaryPrimitives.WriteUInt16BigEndian(frame.AsSpan(2), (ushort)payload.Length);
        }

        payload.CopyTo(frame, header);
        return frame;
    }

    /// <summary>One masked client frame, unmasked in place.</summary>
    private static bool TryReadFrame(Span<byte> data, out int opcode, out int consumed, out byte[] payload)
    {
        (opcode, consumed, payload) = (0, 0, []);
        if (data.Length < 2)
        {
            return false;
        }

        opcode = data[0] & 0x0F;
        var length = data[1] & 0x7F;
        var header = 2;
        if (length == 126)
        {
            if (data.Length < 4)
            {
                return false;
            }

            length = BinaryPrimitives.ReadUInt16BigEndian(data[2..]);
            header = 4;
        }

        if (data.Length < header + 4 + length)
        {
            return false;
        }

        var mask = data.Slice(header, 4);
        payload = data.Slice(header + 4, length).ToArray();
        for (var i = 0; i < payload.Length; i++)
        {
            payload[i] ^= mask[i % 4];
        }

        consumed = header + 4 + length;
        return true;
    }
}
