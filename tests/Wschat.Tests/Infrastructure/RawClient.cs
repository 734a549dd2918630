using System.Net.WebSockets;
using System.Text;
using System.Text.Json;
using System.Threading.Channels;

namespace Wschat.Tests.Infrastructure;

/// <summary>A legacy wschat client: a real ClientWebSocket speaking raw JSON text frames.</summary>
public sealed class RawClient : IAsyncDisposable
{
    public static readonly TimeSpan Timeout = TimeSpan.FromSeconds(10);

    private readonly ClientWebSocket _socket;
    private readonly Channel<JsonElement> _received = Channel.CreateUnbounded<JsonElement>();
    private readonly Task _reading;

    private RawClient(ClientWebSocket socket)
    {
        _socket = socket;
        _reading = ReadLoopAsync();
    }

    public WebSocketCloseStatus? CloseStatus => _socket.CloseStatus;

    public long Uid { get; private set; }

    public string Ip { get; private set; } = "";

    /// <summary>Connects and consumes the <c>setuserid</c> greeting.</summary>
    public static async Task<RawClient> ConnectAsync(Uri uri, Action<ClientWebSocketOptions>? configure = null)
    {
        var socket = new ClientWebSocket();
        configure?.Invoke(socket.Options);
        using var timeout = new CancellationTokenSource(Timeout);
        await socket.ConnectAsync(uri, timeout.Token);
        var client = new RawClient(socket);
        var greeting = await client.ReceiveAsync("setuserid");
        client.Uid = greeting.GetProperty("uid").GetInt64();
        client.Ip = greeting.GetProperty("ip").GetString()!;
        return client;
    }

    public Task SendAsync(object message) => SendTextAsync(JsonSerializer.Serialize(message));

    public async Task SendTextAsync(string text)
    {
        using var timeout = new CancellationTokenSource(Timeout);
        await _socket.SendAsync(Encoding.UTF8.GetBytes(text), WebSocketMessageType.Text, true, timeout.Token);
    }

    public async Task SendBinaryAsync(byte[] data)
    {
        using var timeout = new CancellationTokenSource(Timeout);
        await _socket.SendAsync(data, WebSocketMessageType.Binary, true, timeout.Token);
    }

    /// <summary>The next message; fails if it is not of <paramref name="type"/> or does not come within <paramref name="within"/>.</summary>
    public async Task<JsonElement> ReceiveAsync(string? type = null, TimeSpan? within = null)
    {
        using var timeout = new CancellationTokenSource(within ?? Timeout);
        JsonElement message;
        try
        {
            message = await _received.Reader.ReadAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            throw new TimeoutException($"no message{(type is null ? "" : $" of type {type}")} within {within ?? Timeout}");
        }
        catch (ChannelClosedException ex) when (ex.InnerException is null)
        {
            throw new InvalidOperationException($"the socket closed ({_socket.CloseStatus}) while waiting for {type ?? "a message"}");
        }

        if (type is not null)
        {
            Assert.Equal(type, message.GetProperty("type").GetString());
        }

        return message;
    }

    /// <summary>The next message of <paramref name="type"/> (and <paramref name="match"/>), skipping others (for noisy rooms).</summary>
    public async Task<JsonElement> ReceiveSkippingAsync(string type, Func<JsonElement, bool>? match = null, TimeSpan? within = null)
    {
        var deadline = DateTime.UtcNow + (within ?? Timeout);
        while (true)
        {
            var remaining = deadline - DateTime.UtcNow;
            var message = await ReceiveAsync(within: remaining > TimeSpan.Zero ? remaining : TimeSpan.Zero);
            if (message.GetProperty("type").GetString() == type && (match is null || match(message)))
            {
                return message;
            }
        }
    }

    /// <summary>
    /// Proves nothing else is pending: sends a hello and expects its reply as the very next message.
    /// The server writes to one connection in order, so anything sent before would arrive first.
    /// </summary>
    public async Task AssertNothingPendingAsync()
    {
        await SendAsync(new { type = "hello" });
        var next = await ReceiveAsync();
        Assert.Equal("hello", next.GetProperty("type").GetString());
    }

    /// <summary>Waits until the server closes the socket.</summary>
    public async Task WaitClosedAsync()
    {
        await _reading.WaitAsync(Timeout);
    }

    public async ValueTask DisposeAsync()
    {
        if (_socket.State == WebSocketState.Open)
        {
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(2));
            try
            {
                await _socket.CloseAsync(WebSocketCloseStatus.NormalClosure, null, timeout.Token);
            }
            catch (Exception ex) when (ex is WebSocketException or OperationCanceledException)
            {
                _socket.Abort();
            }
        }

        _socket.Abort();
        await _reading.WaitAsync(Timeout).ContinueWith(static _ => { }, TaskScheduler.Default);
        _socket.Dispose();
    }

    private async Task ReadLoopAsync()
    {
        var buffer = new byte[1 << 16];
        var message = new MemoryStream();
        try
        {
            while (true)
            {
                var result = await _socket.ReceiveAsync(buffer, CancellationToken.None);
                if (result.MessageType == WebSocketMessageType.Close)
                {
                    return;
                }

                message.Write(buffer, 0, result.Count);
                if (!result.EndOfMessage)
                {
                    continue;
                }

                Assert.Equal(WebSocketMessageType.Text, result.MessageType);
                using var document = JsonDocument.Parse(message.ToArray());
                _received.Writer.TryWrite(document.RootElement.Clone());
                message.SetLength(0);
            }
        }
        catch (Exception ex)
        {
            // A dropped socket just ends the stream; anything else (a frame that is not one JSON object) fails the test.
            _received.Writer.TryComplete(ex is WebSocketException ? null : ex);
            return;
        }
        finally
        {
            _received.Writer.TryComplete();
        }
    }
}
