using System.Net.WebSockets;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Threading.Channels;

namespace Wschat.Tests.Infrastructure;

/// <summary>A legacy wschat client: a real ClientWebSocket speaking raw JSON text frames.</summary>
public sealed class RawClient : IChatClient
{
    public static readonly TimeSpan Timeout = TimeSpan.FromSeconds(10);

    private static readonly JsonSerializerOptions s_raw = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    private readonly ClientWebSocket _socket;
    private readonly Channel<(string Text, JsonElement Json)> _received = Channel.CreateUnbounded<(string, JsonElement)>();
    private readonly Task _reading;

    private RawClient(ClientWebSocket socket)
    {
        _socket = socket;
        _reading = ReadLoopAsync();
    }

    public WebSocketCloseStatus? CloseStatus => _socket.CloseStatus;

    public long Uid { get; private set; }

    public string Ip { get; private set; } = "";

    /// <summary>The <c>setuserid</c> message <see cref="ConnectAsync"/> consumed.</summary>
    public JsonElement Greeting { get; private set; }

    /// <summary>Connects and consumes the <c>setuserid</c> greeting.</summary>
    public static async Task<RawClient> ConnectAsync(Uri uri, Action<ClientWebSocketOptions>? configure = null)
    {
        var socket = new ClientWebSocket();
        configure?.Invoke(socket.Options);
        using var timeout = new CancellationTokenSource(Timeout);
        await socket.ConnectAsync(uri, timeout.Token);
        var client = new RawClient(socket);
        var greeting = client.Greeting = await client.ReceiveAsync("setuserid");
        client.Uid = greeting.GetProperty("uid").GetInt64();
        client.Ip = greeting.GetProperty("ip").GetString()!;
        return client;
    }

    public Task SendAsync(object message) => SendTextAsync(JsonSerializer.Serialize(message));

    /// <summary>Sends <c>{"type":type,...payload}</c>.</summary>
    public Task SendAsync(string type, object? payload = null)
    {
        var message = new JsonObject { ["type"] = type };
        if (payload is not null)
        {
            foreach (var (name, value) in JsonSerializer.SerializeToNode(payload)!.AsObject())
            {
                message[name] = value?.DeepClone();
            }
        }

        return SendTextAsync(message.ToJsonString(s_raw));
    }

    /// <summary>The exact text of the message <see cref="ReceiveAsync"/> returned last.</summary>
    public string LastText { get; private set; } = "";

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
            (LastText, message) = await _received.Reader.ReadAsync(timeout.Token);
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

    /// <summary>Waits until the server closes the socket.</summary>
    public async Task WaitClosedAsync()
    {
        await _reading.WaitAsync(Timeout);
    }

    /// <summary>Drops the connection without a close handshake, as a crashed client or a lost network does.</summary>
    public void Abort() => _socket.Abort();

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
                var text = Encoding.UTF8.GetString(message.ToArray());
                using var document = JsonDocument.Parse(text);
                _received.Writer.TryWrite((text, document.RootElement.Clone()));
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
