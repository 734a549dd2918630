using System.Buffers;
using System.Net.WebSockets;
using System.Text;
using System.Text.Json;
using Wschat.Client.Protocol;
using Wschat.Contracts;

namespace Wschat.Client.Transport;

/// <summary>
/// The legacy raw wschat protocol: one JSON object per WebSocket text message, <c>{"type":T,...payload}</c>;
/// a string payload goes as the command text <c>T:\r\nbody</c> (e.g. setbadwords).
/// </summary>
internal sealed class RawConnection : IWschatConnection
{
    private static readonly TimeSpan CloseTimeout = TimeSpan.FromSeconds(2);

    private readonly ClientWebSocket _socket = new();
    private readonly Uri _uri;
    private readonly SemaphoreSlim _sending = new(1, 1);
    private Task? _receiving;
    private volatile bool _closing;

    public RawConnection(Uri serverUri, string? accessToken)
    {
        _uri = accessToken is { } token
            ? new UriBuilder(serverUri) { Query = "access_token=" + Uri.EscapeDataString(token) }.Uri
            : serverUri;
    }

    public event Action<string, object>? MessageReceived;

    public event Action<Exception?>? Closed;

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        await _socket.ConnectAsync(_uri, cancellationToken);
        _receiving = ReceiveLoopAsync();
    }

    public async Task SendAsync(string type, object? payload, CancellationToken cancellationToken)
    {
        ReadOnlyMemory<byte> frame = payload is string body ? Encoding.UTF8.GetBytes($"{type}:\r\n{body}") : Envelope(type, payload);
        await _sending.WaitAsync(cancellationToken);
        try
        {
            await _socket.SendAsync(frame, WebSocketMessageType.Text, endOfMessage: true, cancellationToken);
        }
        finally
        {
            _sending.Release();
        }
    }

    public async ValueTask DisposeAsync()
    {
        _closing = true;
        if (_socket.State == WebSocketState.Open)
        {
            using var timeout = new CancellationTokenSource(CloseTimeout);
            try
            {
                await _socket.CloseOutputAsync(WebSocketCloseStatus.NormalClosure, null, timeout.Token);
            }
            catch (Exception ex) when (ex is WebSocketException or OperationCanceledException)
            {
                // Gone already; Abort below ends the receive loop either way.
            }
        }

        if (_receiving is not null && await Task.WhenAny(_receiving, Task.Delay(CloseTimeout)) != _receiving)
        {
            _socket.Abort();
            await _receiving;
        }

        _socket.Dispose();
        _sending.Dispose();
    }

    private static ReadOnlyMemory<byte> Envelope(string type, object? payload)
    {
        var buffer = new ArrayBufferWriter<byte>(256);
        ClientJson.Envelope.Write(buffer, type, payload is null ? [] : [payload]);
        return buffer.WrittenMemory;
    }

    private async Task ReceiveLoopAsync()
    {
        Exception? error = null;
        var message = new ArrayBufferWriter<byte>(4096);
        try
        {
            while (true)
            {
                var result = await _socket.ReceiveAsync(message.GetMemory(4096), CancellationToken.None);
                if (result.MessageType == WebSocketMessageType.Close)
                {
                    break;
                }

                message.Advance(result.Count);
                if (result.EndOfMessage)
                {
                    Dispatch(message.WrittenSpan);
                    message.ResetWrittenCount();
                }
            }
        }
        catch (Exception ex) when (ex is WebSocketException or IOException or OperationCanceledException)
        {
            error = _closing ? null : ex;
        }

        Closed?.Invoke(error);
    }

    /// <summary>
    /// Hands one frame on. A frame that is not the JSON this client reads is skipped, as a type it does not
    /// know is; a handler's exception is dropped, as the SignalR client drops it: neither ends the connection.
    /// </summary>
    [System.Diagnostics.CodeAnalysis.SuppressMessage("Design", "CA1031", Justification = "A handler's failure must not end the receive loop silently; the SignalR transport drops it too.")]
    private void Dispatch(ReadOnlySpan<byte> json)
    {
        string name;
        object payload;
        try
        {
            using var document = JsonDocument.Parse(json.ToArray());
            var root = document.RootElement;
            if (!root.TryGetProperty("type", out var type) || type.GetString() is not { } known
                || !WschatMethods.ServerPayloadTypes.TryGetValue(known, out var payloadType)
                || root.Deserialize(payloadType, ClientJson.Options) is not { } read)
            {
                return;
            }

            (name, payload) = (known, read);
        }
        catch (Exception ex) when (ex is JsonException or InvalidOperationException)
        {
            return;
        }

        try
        {
            MessageReceived?.Invoke(name, payload);
        }
        catch (Exception)
        {
            // Dropped (see above).
        }
    }
}
