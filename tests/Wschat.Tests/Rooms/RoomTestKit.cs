using System.Text.Json;
using Microsoft.Extensions.Logging;
using System.Threading.Channels;
using Microsoft.AspNetCore.SignalR;
using Microsoft.AspNetCore.SignalR.Protocol;
using Wschat.Hub.Rooms;
using Xunit.Abstractions;

namespace Wschat.Tests.Rooms;

/// <summary>Room messages as the specifications publish them: one invocation carrying a text, read back in JSON.</summary>
internal static class RoomMessages
{
    public static readonly TimeSpan Within = TimeSpan.FromSeconds(10);

    public static readonly JsonHubProtocol Json = new();

    /// <summary>A message the room numbers and keeps, as it does danmu and text.</summary>
    public static RoomMessage Of(string text) => new(new SerializedHubMessage(new InvocationMessage("m", [text])), isKept: true);

    /// <summary>A message the room neither numbers nor keeps, as it does membership events.</summary>
    public static RoomMessage EventOf(string text) => new(new SerializedHubMessage(new InvocationMessage("e", [text])));

    /// <summary>The text a publication carries (after a trip through Redis it exists only as JSON bytes).</summary>
    public static string Text(RoomPublication publication)
    {
        var bytes = publication.Message.Serialized.GetSerializedMessage(Json);
        using var document = JsonDocument.Parse(bytes[..^1]);
        return document.RootElement.GetProperty("arguments")[0].GetString()!;
    }

    public static string NewRoom() => "spec-" + Guid.NewGuid().ToString("N")[..8];

    /// <summary>Offsets of one epoch, each one more than the one before.</summary>
    public static void AssertConsecutive(IReadOnlyList<RoomPublication> publications, long? first = null)
    {
        Assert.NotEmpty(publications);
        if (first is { } expected)
        {
            Assert.Equal(expected, publications[0].Position.Offset);
        }

        for (var i = 1; i < publications.Count; i++)
        {
            Assert.Equal(publications[0].Position.Epoch, publications[i].Position.Epoch);
            Assert.Equal(publications[i - 1].Position.Offset + 1, publications[i].Position.Offset);
        }
    }
}

/// <summary>Records what a broker delivers; tests await the publications they expect.</summary>
internal sealed class RecordingSubscriber : IRoomSubscriber
{
    private readonly Channel<RoomPublication> _pending = Channel.CreateUnbounded<RoomPublication>();
    private int _count;
    private int _batches;

    /// <summary>Every publication delivered so far, awaited or not.</summary>
    public int Count => Volatile.Read(ref _count);

    /// <summary>Deliveries so far: each hands over one batch.</summary>
    public int Batches => Volatile.Read(ref _batches);

    public void OnPublished(IReadOnlyList<RoomPublication> batch)
    {
        Interlocked.Increment(ref _batches);
        foreach (var publication in batch)
        {
            Interlocked.Increment(ref _count);
            _pending.Writer.TryWrite(publication);
        }
    }

    /// <summary>The next <paramref name="count"/> publications.</summary>
    public async Task<RoomPublication[]> ReceiveAsync(int count, TimeSpan? within = null)
    {
        using var timeout = new CancellationTokenSource(within ?? RoomMessages.Within);
        var received = new RoomPublication[count];
        for (var i = 0; i < count; i++)
        {
            try
            {
                received[i] = await _pending.Reader.ReadAsync(timeout.Token);
            }
            catch (OperationCanceledException)
            {
                throw new TimeoutException($"{i} of {count} publications arrived within {within ?? RoomMessages.Within}");
            }
        }

        return received;
    }

    /// <summary>The next publications up to and including the one carrying <paramref name="text"/>.</summary>
    public async Task<List<RoomPublication>> ReceiveUntilAsync(string text, TimeSpan? within = null)
    {
        using var timeout = new CancellationTokenSource(within ?? RoomMessages.Within);
        var received = new List<RoomPublication>();
        try
        {
            do
            {
                received.Add(await _pending.Reader.ReadAsync(timeout.Token));
            }
            while (RoomMessages.Text(received[^1]) != text);
        }
        catch (OperationCanceledException)
        {
            throw new TimeoutException($"no publication \"{text}\" within {within ?? RoomMessages.Within} ({received.Count} others arrived)");
        }

        return received;
    }
}

/// <summary>Writes what the code under test logs (Debug and up) to the test's output, shown when it fails.</summary>
internal sealed class TestOutputLoggerProvider(ITestOutputHelper output) : ILoggerProvider
{
    public static ILoggerFactory Factory(ITestOutputHelper output) =>
        LoggerFactory.Create(logging => logging.SetMinimumLevel(LogLevel.Debug).AddProvider(new TestOutputLoggerProvider(output)));

    public ILogger CreateLogger(string categoryName) => new Logger(output, categoryName);

    public void Dispose()
    {
    }

    private sealed class Logger(ITestOutputHelper output, string category) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state)
            where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => true;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            try
            {
                output.WriteLine($"{DateTime.UtcNow:HH:mm:ss.fff} {logLevel} {category}: {formatter(state, exception)} {exception?.GetType().Name} {exception?.Message}");
            }
            catch (InvalidOperationException)
            {
                // Logged after the test ended (a reconnect in the background): nobody to tell.
            }
        }
    }
}

/// <summary>Only the JSON hub protocol: what the codec serializes room messages in between nodes.</summary>
internal sealed class JsonOnlyProtocolResolver : IHubProtocolResolver
{
    public IReadOnlyList<IHubProtocol> AllProtocols { get; } = [RoomMessages.Json];

    public IHubProtocol? GetProtocol(string protocolName, IReadOnlyList<string>? supportedProtocols) =>
        protocolName == RoomMessages.Json.Name ? RoomMessages.Json : null;
}
