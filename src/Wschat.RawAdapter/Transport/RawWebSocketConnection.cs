using System.Buffers;
using System.IO.Pipelines;
using System.Net.WebSockets;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Connections;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Connections.Features;
using Microsoft.Extensions.Logging;
using Wschat.Outbound;
using Wschat.RawAdapter.Protocol;

namespace Wschat.RawAdapter.Transport;

/// <summary>
/// One raw WebSocket served as a hub connection: frames in become records on the hub's input
/// pipe; the hub's messages, already WebSocket frames, collect in the connection's
/// <see cref="OutboundQueue"/>, which writes them to the socket as they are, everything queued in
/// one write. The handshake is made up here (raw clients send none) and its response is dropped.
/// </summary>
internal sealed class RawWebSocketConnection : DefaultConnectionContext, IHttpContextFeature, IRawTransportFeature
{
    private const int InitialReceiveBufferSize = 4096;

    private static readonly byte[] s_handshake = "{\"protocol\":\"wschat\",\"version\":1}\u001e"u8.ToArray();

    private readonly WebSocket _socket;
    private readonly PipeWriter _input;
    private readonly OutboundQueue _outbound;
    private readonly WschatTransportOptions _options;
    private readonly ILogger _logger;
    private WebSocketCloseStatus _closeStatus = WebSocketCloseStatus.NormalClosure;

    private RawWebSocketConnection(HttpContext httpContext, WebSocket socket, ExclusiveWriteStream stream, OutboundQueues queues, WschatTransportOptions options, ILogger logger)
        : base(Guid.NewGuid().ToString("N"))
    {
        HttpContext = httpContext;
        User = httpContext.User;
        Features.Set<IHttpContextFeature>(this);
        Features.Set<IRawTransportFeature>(this);
        _socket = socket;
        _options = options;
        _logger = logger;
        _outbound = queues.Create(this, stream, Drop);
        var input = new Pipe(new PipeOptions(
            pauseWriterThreshold: 2L * (options.MaxMessageBytes + WschatFrame.HeaderSize),
            resumeWriterThreshold: options.MaxMessageBytes,
            useSynchronizationContext: false));
        _input = input.Writer;
        Transport = new HubSide(input.Reader, new OutboundQueueWriter(_outbound));
    }

    public HttpContext? HttpContext { get; set; }

    /// <summary>Serves one raw socket until it closes; <paramref name="stopping"/> (server shutdown) closes it normally.</summary>
    public static async Task ServeAsync(HttpContext httpContext, ConnectionDelegate hub, OutboundQueues queues, WschatTransportOptions options, WebSocketOptions webSocketOptions, ILogger logger, CancellationToken stopping)
    {
        if (await RawWebSocketHandshake.AcceptAsync(httpContext, webSocketOptions) is not var (accepted, stream))
        {
            RawTransportLog.BadHandshake(logger);
            httpContext.Response.StatusCode = StatusCodes.Status400BadRequest;
            return;
        }

        using var socket = accepted;
        var connection = new RawWebSocketConnection(httpContext, socket, stream, queues, options, logger);
        await connection.RunAsync(hub, stopping);
    }

    private async Task RunAsync(ConnectionDelegate hub, CancellationToken stopping)
    {
        RawTransportLog.Opened(_logger, ConnectionId);

        // A cancelled read ends the hub's dispatch loop as if the client had left.
        using var stopRegistration = stopping.Register(static input => ((PipeReader)input!).CancelPendingRead(), Transport.Input);
        await _input.WriteAsync(s_handshake, CancellationToken.None);
        var receiving = ReceiveLoopAsync();
        try
        {
            await hub(this);
        }
        finally
        {
            // The hub is done with this connection: what it queued goes out, then the close frame.
            Transport.Output.Complete();
            Transport.Input.Complete();
        }

        await CloseAsync();
        try
        {
            await receiving.WaitAsync(_options.CloseTimeout, CancellationToken.None);
        }
        catch (TimeoutException)
        {
            // The client never answered the close: drop the connection itself, which also ends a pending read.
            _socket.Abort();
            HttpContext?.Abort();
            await receiving;
        }

        RawTransportLog.Closed(_logger, ConnectionId);
    }

    private async Task ReceiveLoopAsync()
    {
        var writer = _input;
        var refusedInARow = 0;
        try
        {
            while (true)
            {
                // Wait for the next frame without holding a buffer: idle sockets cost no receive memory.
                var next = await _socket.ReceiveAsync(Memory<byte>.Empty, CancellationToken.None);
                if (next.MessageType == WebSocketMessageType.Close)
                {
                    return;
                }

                var kind = await ReceiveFrameAsync(next, writer);
                if (kind is null)
                {
                    return;
                }

                var flush = await writer.FlushAsync();
                if (flush.IsCompleted)
                {
                    return;
                }

                refusedInARow = kind == WschatFrameKind.Text ? 0 : refusedInARow + 1;
                if (refusedInARow >= _options.RefusedFramesBeforeClose)
                {
                    RawTransportLog.ClosingAbusive(_logger, ConnectionId, refusedInARow);
                    _closeStatus = kind == WschatFrameKind.Binary ? WebSocketCloseStatus.InvalidMessageType : WebSocketCloseStatus.MessageTooBig;
                    return;
                }
            }
        }
        catch (WebSocketException ex)
        {
            RawTransportLog.SocketError(_logger, ConnectionId, ex);
        }
        catch (Exception ex) when (ex is OperationCanceledException or IOException or ConnectionAbortedException)
        {
            // The client went away; the hub sees the end of input below.
        }
        finally
        {
            await writer.CompleteAsync();
        }
    }

    /// <summary>Reads the rest of one WebSocket message and writes it as one record; null when the socket closed.</summary>
    private async ValueTask<WschatFrameKind?> ReceiveFrameAsync(ValueWebSocketReceiveResult first, PipeWriter writer)
    {
        var limit = _options.MaxMessageBytes;
        var keep = first.MessageType == WebSocketMessageType.Text;
        var buffer = ArrayPool<byte>.Shared.Rent(InitialReceiveBufferSize);
        var length = 0;
        try
        {
            var result = first;
            while (!result.EndOfMessage)
            {
                var capacity = Math.Min(buffer.Length, limit + 1);
                if (length == capacity)
                {
                    if (capacity > limit || !keep)
                    {
                        // Past the limit (or binary): read on to the end of the message, keep nothing.
                        keep = false;
                        length = 0;
                    }
                    else
                    {
                        buffer = Grow(buffer, length, Math.Min(buffer.Length * 2, limit + 1));
                        capacity = Math.Min(buffer.Length, limit + 1);
                    }
                }

                result = await _socket.ReceiveAsync(buffer.AsMemory(length, capacity - length), CancellationToken.None);
                if (result.MessageType == WebSocketMessageType.Close)
                {
                    return null;
                }

                length += result.Count;
            }

            var kind = first.MessageType == WebSocketMessageType.Binary ? WschatFrameKind.Binary
                : keep && length <= limit ? WschatFrameKind.Text
                : WschatFrameKind.TooLarge;
            var payloadLength = kind == WschatFrameKind.Text ? length : 0;
            var destination = writer.GetSpan(WschatFrame.HeaderSize + payloadLength);
            WschatFrame.WriteHeader(destination, kind, payloadLength);
            buffer.AsSpan(0, payloadLength).CopyTo(destination[WschatFrame.HeaderSize..]);
            writer.Advance(WschatFrame.HeaderSize + payloadLength);
            return kind;
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    private static byte[] Grow(byte[] buffer, int length, int size)
    {
        var larger = ArrayPool<byte>.Shared.Rent(size);
        buffer.AsSpan(0, length).CopyTo(larger);
        ArrayPool<byte>.Shared.Return(buffer);
        return larger;
    }

    private async Task CloseAsync()
    {
        await _outbound.Drained;
        if (_outbound.IsBroken || _socket.State is not (WebSocketState.Open or WebSocketState.CloseReceived))
        {
            return;
        }

        try
        {
            using var timeout = new CancellationTokenSource(_options.CloseTimeout);
            await _socket.CloseOutputAsync(_closeStatus, null, timeout.Token);
        }
        catch (Exception ex) when (ex is WebSocketException or OperationCanceledException or IOException or ObjectDisposedException or ConnectionAbortedException)
        {
            _socket.Abort();
        }
    }

    /// <summary>
    /// The socket can take no more: its client stopped reading, or a write failed. A close frame
    /// would only queue behind the rest, so the connection is dropped, which also ends the hub's
    /// side through the receive loop.
    /// </summary>
    private void Drop()
    {
        _socket.Abort();
        HttpContext?.Abort();
    }

    private sealed class HubSide(PipeReader input, PipeWriter output) : IDuplexPipe
    {
        public PipeReader Input { get; } = input;

        public PipeWriter Output { get; } = output;
    }
}
