using System.Buffers;
using System.IO.Pipelines;
using System.Net.WebSockets;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Connections;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Connections.Features;
using Microsoft.Extensions.Logging;
using Wschat.RawAdapter.Protocol;

namespace Wschat.RawAdapter.Transport;

/// <summary>
/// One raw WebSocket served as a hub connection: frames in become records on the hub's input
/// pipe, records on the hub's output pipe go out one text frame each. The handshake is made up
/// here (raw clients send none) and its response is dropped.
/// </summary>
internal sealed class RawWebSocketConnection : DefaultConnectionContext, IHttpContextFeature
{
    private const int InitialReceiveBufferSize = 4096;

    private static readonly byte[] s_handshake = "{\"protocol\":\"wschat\",\"version\":1}\u001e"u8.ToArray();

    private readonly WebSocket _socket;
    private readonly BatchingStream? _batching;
    private readonly IDuplexPipe _application;
    private readonly WschatTransportOptions _options;
    private readonly ILogger _logger;
    private WebSocketCloseStatus _closeStatus = WebSocketCloseStatus.NormalClosure;

    private RawWebSocketConnection(HttpContext httpContext, WebSocket socket, BatchingStream? batching, DuplexPipePair pipes, WschatTransportOptions options, ILogger logger)
        : base(Guid.NewGuid().ToString("N"), pipes.Transport, pipes.Application)
    {
        HttpContext = httpContext;
        User = httpContext.User;
        Features.Set<IHttpContextFeature>(this);
        _socket = socket;
        _batching = batching;
        _application = pipes.Application;
        _options = options;
        _logger = logger;
    }

    public HttpContext? HttpContext { get; set; }

    /// <summary>Serves one accepted raw socket until it closes; <paramref name="stopping"/> (server shutdown) closes it normally.</summary>
    public static async Task ServeAsync(HttpContext httpContext, ConnectionDelegate hub, WschatTransportOptions options, WebSocketOptions webSocketOptions, ILogger logger, CancellationToken stopping)
    {
        var (accepted, batching) = await RawWebSocketHandshake.AcceptAsync(httpContext, webSocketOptions);
        using var socket = accepted;
        var pipes = new DuplexPipePair(
            new PipeOptions(pauseWriterThreshold: 2L * (options.MaxMessageBytes + WschatFrame.HeaderSize), resumeWriterThreshold: options.MaxMessageBytes, useSynchronizationContext: false),
            new PipeOptions(useSynchronizationContext: false));
        var connection = new RawWebSocketConnection(httpContext, socket, batching, pipes, options, logger);
        await connection.RunAsync(hub, stopping);
    }

    private async Task RunAsync(ConnectionDelegate hub, CancellationToken stopping)
    {
        RawTransportLog.Opened(_logger, ConnectionId);

        // A cancelled read ends the hub's dispatch loop as if the client had left.
        using var stopRegistration = stopping.Register(static input => ((PipeReader)input!).CancelPendingRead(), Transport.Input);
        await _application.Output.WriteAsync(s_handshake, CancellationToken.None);
        var sending = SendLoopAsync();
        var receiving = ReceiveLoopAsync();
        try
        {
            await hub(this);
        }
        finally
        {
            // The hub is done with this connection: let the send loop drain and close the socket.
            Transport.Output.Complete();
            Transport.Input.Complete();
        }

        await sending;
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
        var writer = _application.Output;
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

    private async Task SendLoopAsync()
    {
        var reader = _application.Input;
        var handshakeDropped = false;
        try
        {
            while (true)
            {
                var result = await reader.ReadAsync();
                var buffer = result.Buffer;

                // Everything the hub has written so far leaves in one flush: a busy room's frames coalesce.
                _batching?.BeginBatch();
                try
                {
                    while (WschatFrame.TryReadOutbound(ref buffer, out var record))
                    {
                        if (!handshakeDropped)
                        {
                            handshakeDropped = true;
                            continue;
                        }

                        await SendRecordAsync(record);
                    }
                }
                finally
                {
                    reader.AdvanceTo(buffer.Start, buffer.End);
                    if (_batching is not null)
                    {
                        await _batching.EndBatchAsync();
                    }
                }

                if (result.IsCompleted)
                {
                    break;
                }
            }

            if (_socket.State is WebSocketState.Open or WebSocketState.CloseReceived)
            {
                using var timeout = new CancellationTokenSource(_options.CloseTimeout);
                await _socket.CloseOutputAsync(_closeStatus, null, timeout.Token);
            }
        }
        catch (Exception ex) when (ex is WebSocketException or OperationCanceledException or IOException or ConnectionAbortedException)
        {
            // A dead socket: stop the receive side too, so the hub learns the client is gone.
            _socket.Abort();
        }
        finally
        {
            await reader.CompleteAsync();
        }
    }

    private async ValueTask SendRecordAsync(ReadOnlySequence<byte> record)
    {
        if (record.IsSingleSegment)
        {
            await _socket.SendAsync(record.First, WebSocketMessageType.Text, endOfMessage: true, CancellationToken.None);
            return;
        }

        // A record spanning pipe segments goes out as one fragmented message: only its last fragment ends it.
        ReadOnlyMemory<byte> pending = default;
        var started = false;
        foreach (var segment in record)
        {
            if (started)
            {
                await _socket.SendAsync(pending, WebSocketMessageType.Text, endOfMessage: false, CancellationToken.None);
            }

            pending = segment;
            started = true;
        }

        await _socket.SendAsync(pending, WebSocketMessageType.Text, endOfMessage: true, CancellationToken.None);
    }
}
