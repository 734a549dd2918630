using System.Buffers;
using System.IO.Pipelines;
using System.Text.Json;
using System.Threading.Channels;
using Microsoft.AspNetCore.Connections;
using Microsoft.AspNetCore.SignalR;
using Microsoft.Extensions.Logging.Abstractions;

namespace Wschat.Tests.Rooms;

/// <summary>
/// A real <see cref="HubConnectionContext"/> (JSON protocol) over in-memory pipes, as a lifetime
/// manager sees a connection. The test plays the client on the pipes' other ends: it reads what the
/// server wrote, or, for a client that stops reading, never does.
/// </summary>
internal sealed class TestHubConnection : IAsyncDisposable
{
    private readonly Pipe _toServer = new();
    private readonly Pipe _toClient;
    private readonly Channel<(string Target, string? Text)> _received = Channel.CreateUnbounded<(string, string?)>();
    private Task _reading;
    private int _count;

    /// <param name="reads">False: a client that never reads what is sent to it.</param>
    /// <param name="toClient">The options of the pipe the server writes into (its pause threshold is how much it buffers for the client).</param>
    /// <param name="user">Its user id (a uid), as the user id provider gives it.</param>
    public TestHubConnection(bool reads = true, PipeOptions? toClient = null, string? user = null)
    {
        _toClient = new Pipe(toClient ?? PipeOptions.Default);
        var connection = new DefaultConnectionContext(
            Guid.NewGuid().ToString("N"),
            new DuplexPipe(_toServer.Reader, _toClient.Writer),
            new DuplexPipe(_toClient.Reader, _toServer.Writer));
        Context = new HubConnectionContext(
            connection,
            new HubConnectionContextOptions { KeepAliveInterval = TimeSpan.FromSeconds(15), ClientTimeoutInterval = TimeSpan.FromSeconds(30) },
            NullLoggerFactory.Instance)
        {
            Protocol = RoomMessages.Json,
            UserIdentifier = user,
        };
        var aborted = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        Context.ConnectionAborted.Register(() => aborted.TrySetResult());
        Aborted = aborted.Task;
        _reading = reads ? ReadAsync() : Task.CompletedTask;
    }

    public HubConnectionContext Context { get; }

    public string Id => Context.ConnectionId;

    /// <summary>Completes when the server aborts the connection.</summary>
    public Task Aborted { get; }

    /// <summary>A client made with <c>reads: false</c> starts reading what the server sent it.</summary>
    public void StartReading() => _reading = ReadAsync();

    /// <summary>The next invocation the server sent: its target and its first argument (a string).</summary>
    public async Task<(string Target, string? Text)> ReceiveAsync(TimeSpan? within = null)
    {
        using var timeout = new CancellationTokenSource(within ?? RoomMessages.Within);
        try
        {
            var next = await _received.Reader.ReadAsync(timeout.Token);
            _count++;
            return next;
        }
        catch (OperationCanceledException)
        {
            throw new TimeoutException($"connection {Id} received nothing more within {within ?? RoomMessages.Within} (after {_count} invocations)");
        }
    }

    /// <summary>The texts of the next <paramref name="count"/> invocations.</summary>
    public async Task<string?[]> ReceiveTextsAsync(int count)
    {
        var texts = new string?[count];
        for (var i = 0; i < count; i++)
        {
            texts[i] = (await ReceiveAsync()).Text;
        }

        return texts;
    }

    public async ValueTask DisposeAsync()
    {
        await _toServer.Writer.CompleteAsync();

        // The server never completes its side: a read still waiting for it is cancelled, or it would wait out the timeout below.
        _toClient.Reader.CancelPendingRead();
        await _toClient.Reader.CompleteAsync();
        await _reading.WaitAsync(RoomMessages.Within).ContinueWith(static _ => { }, TaskScheduler.Default);
    }

    private async Task ReadAsync()
    {
        var reader = _toClient.Reader;
        try
        {
            while (true)
            {
                var result = await reader.ReadAsync();
                var buffer = result.Buffer;
                while (buffer.PositionOf((byte)0x1e) is { } end)
                {
                    Parse(buffer.Slice(0, end));
                    buffer = buffer.Slice(buffer.GetPosition(1, end));
                }

                reader.AdvanceTo(buffer.Start, buffer.End);
                if (result.IsCompleted || result.IsCanceled)
                {
                    break;
                }
            }
        }
        catch (InvalidOperationException)
        {
            // The test completed the reader: the client is gone.
        }
        finally
        {
            _received.Writer.TryComplete();
        }
    }

    private void Parse(ReadOnlySequence<byte> frame)
    {
        var json = new Utf8JsonReader(frame);
        using var message = JsonDocument.ParseValue(ref json);
        var root = message.RootElement;
        if (root.GetProperty("type").GetInt32() == 1)
        {
            var arguments = root.GetProperty("arguments");
            _received.Writer.TryWrite((root.GetProperty("target").GetString()!, arguments.GetArrayLength() > 0 ? arguments[0].GetString() : null));
        }
    }

    private sealed class DuplexPipe(PipeReader input, PipeWriter output) : IDuplexPipe
    {
        public PipeReader Input { get; } = input;

        public PipeWriter Output { get; } = output;
    }
}
