using System.Buffers;
using System.Buffers.Binary;
using System.Net;
using System.Net.Sockets;
using System.Text;

namespace Wschat.LoadGen;

/// <summary>
/// A minimal WebSocket client on a raw socket: one receive loop per connection that parses frames
/// in place and hands each message to a callback (a message sent in fragments is joined first). It costs far less per delivery than
/// ClientWebSocket, so the generator is not the bottleneck. Loopback only.
/// </summary>
internal sealed class LeanWebSocket : IDisposable
{
    private const int MaxBuffer = 64 * 1024;

    private readonly Socket _socket;
    private readonly Lock _sending = new();

    // The fragments of a message whose last frame has not come yet (SignalR's transport sends a message
    // one frame per buffer segment, so its records may straddle frames). Receive loop only.
    private ArrayBufferWriter<byte>? _fragments;

    private LeanWebSocket(Socket socket)
    {
        _socket = socket;
    }

    public static async Task<LeanWebSocket> ConnectAsync(IPEndPoint endPoint, string pathAndQuery, CancellationToken cancellationToken)
    {
        if (!IPAddress.IsLoopback(endPoint.Address))
        {
            throw new ArgumentException("The load generator only targets loopback addresses.", nameof(endPoint));
        }

        var socket = new Socket(endPoint.AddressFamily, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        try
        {
            await socket.ConnectAsync(endPoint, cancellationToken);
            var key = Convert.ToBase64String(Guid.NewGuid().ToByteArray());
            var request = $"GET {pathAndQuery} HTTP/1.1\r\nHost: {endPoint}\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Key: {key}\r\nSec-WebSocket-Version: 13\r\n\r\n";
            await socket.SendAsync(Encoding.ASCII.GetBytes(request), SocketFlags.None, cancellationToken);

            // Read the response head byte by byte: it is short, and the first frame may follow it at once.
            var head = new StringBuilder();
            var one = new byte[1];
            while (!head.ToString().EndsWith("\r\n\r\n", StringComparison.Ordinal))
            {
                if (await socket.ReceiveAsync(one, SocketFlags.None, cancellationToken) == 0)
                {
                    throw new IOException("connection closed during the WebSocket handshake");
                }

                head.Append((char)one[0]);
            }

            if (!head.ToString().StartsWith("HTTP/1.1 101", StringComparison.Ordinal))
            {
                throw new IOException("WebSocket upgrade refused: " + head.ToString().Split('\r')[0]);
            }

            return new LeanWebSocket(socket);
        }
        catch
        {
            // A refused or reset handshake must not leave its socket open (the caller may try again).
            socket.Dispose();
            throw;
        }
    }

    /// <summary>Sends one message (masked with a zero key: valid, and free).</summary>
    public void Send(ReadOnlySpan<byte> payload, bool binary = false)
    {
        Span<byte> header = stackalloc byte[14];
        header[0] = (byte)(0x80 | (binary ? 2 : 1));
        int headerLength;
        if (payload.Length < 126)
        {
            header[1] = (byte)(0x80 | payload.Length);
            headerLength = 2;
        }
        else if (payload.Length <= ushort.MaxValue)
        {
            header[1] = 0x80 | 126;
            BinaryPrimitives.WriteUInt16BigEndian(header[2..], (ushort)payload.Length);
            headerLength = 4;
        }
        else
        {
            header[1] = 0x80 | 127;
            BinaryPrimitives.WriteUInt64BigEndian(header[2..], (ulong)payload.Length);
            headerLength = 10;
        }

        header.Slice(headerLength, 4).Clear();
        var frame = new byte[headerLength + 4 + payload.Length];
        header[..(headerLength + 4)].CopyTo(frame);
        payload.CopyTo(frame.AsSpan(headerLength + 4));
        lock (_sending)
        {
            _socket.Send(frame);
        }
    }

    /// <summary>Reads until the socket closes, calling <paramref name="onMessage"/> for every data frame.</summary>
    public async Task ReceiveLoopAsync(Action<LeanWebSocket, ReadOnlyMemory<byte>> onMessage, CancellationToken cancellationToken)
    {
        // Small while idle (100,000 connections over a few processes), doubled whenever a read fills it.
        var buffer = new byte[4 * 1024];
        var filled = 0;
        try
        {
            while (true)
            {
                var read = await _socket.ReceiveAsync(buffer.AsMemory(filled), SocketFlags.None, cancellationToken);
                if (read == 0)
                {
                    return;
                }

                filled += read;
                var full = filled == buffer.Length;
                var consumed = ParseFrames(buffer.AsMemory(0, filled), onMessage);
                buffer.AsSpan(consumed, filled - consumed).CopyTo(buffer);
                filled -= consumed;
                if (filled == buffer.Length || (full && buffer.Length < MaxBuffer))
                {
                    Array.Resize(ref buffer, buffer.Length * 2);
                }
            }
        }
        catch (Exception ex) when (ex is SocketException or OperationCanceledException or ObjectDisposedException)
        {
            // Closed: the scenario is over or the server went away.
        }
    }

    public void Dispose() => _socket.Dispose();

    private int ParseFrames(ReadOnlyMemory<byte> data, Action<LeanWebSocket, ReadOnlyMemory<byte>> onMessage)
    {
        var offset = 0;
        while (true)
        {
            var span = data.Span[offset..];
            if (span.Length < 2)
            {
                return offset;
            }

            var opcode = span[0] & 0x0F;
            long length = span[1] & 0x7F;
            var headerLength = 2;
            if (length == 126)
            {
                if (span.Length < 4)
                {
                    return offset;
                }

                length = BinaryPrimitives.ReadUInt16BigEndian(span[2..]);
                headerLength = 4;
            }
            else if (length == 127)
            {
                if (span.Length < 10)
                {
                    return offset;
                }

                length = (long)BinaryPrimitives.ReadUInt64BigEndian(span[2..]);
                headerLength = 10;
            }

            if (span.Length < headerLength + length)
            {
                return offset;
            }

            var payload = data.Slice(offset + headerLength, (int)length);
            var final = (span[0] & 0x80) != 0;
            if (opcode == 9)
            {
                SendControl(0xA, payload.Span);
            }
            else if (opcode is 0 or 1 or 2 && final && _fragments is null)
            {
                onMessage(this, payload);
            }
            else if (opcode is 0 or 1 or 2)
            {
                (_fragments ??= new()).Write(payload.Span);
                if (final)
                {
                    onMessage(this, _fragments.WrittenMemory);
                    _fragments = null;
                }
            }

            offset += headerLength + (int)length;
        }
    }

    private void SendControl(byte opcode, ReadOnlySpan<byte> payload)
    {
        var frame = new byte[6 + payload.Length];
        frame[0] = (byte)(0x80 | opcode);
        frame[1] = (byte)(0x80 | payload.Length);
        payload.CopyTo(frame.AsSpan(6));
        lock (_sending)
        {
            _socket.Send(frame);
        }
    }
}
