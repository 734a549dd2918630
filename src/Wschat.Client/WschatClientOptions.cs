namespace Wschat.Client;

/// <summary>How the client speaks to the server.</summary>
public enum WschatTransportKind
{
    /// <summary>The legacy raw wschat JSON protocol over a WebSocket (<c>ws://host:3000/</c>).</summary>
    Raw,

    /// <summary>SignalR with the JSON hub protocol (<c>http://host:3000/hub</c>).</summary>
    SignalRJson,

    /// <summary>SignalR with the MessagePack hub protocol (<c>http://host:3000/hub</c>).</summary>
    SignalRMessagePack,
}

/// <summary>Settings of a <see cref="WschatClient"/>.</summary>
public sealed class WschatClientOptions
{
    /// <summary>
    /// The server: <c>ws://</c> or <c>wss://</c> for raw wschat, <c>http://</c> or <c>https://</c> for the
    /// SignalR hub (e.g. <c>http://localhost:3000/hub</c>).
    /// </summary>
    public required Uri ServerUri { get; init; }

    /// <summary>The transport; by default chosen from the scheme of <see cref="ServerUri"/> (SignalR uses JSON).</summary>
    public WschatTransportKind? Transport { get; init; }

    /// <summary>An admin token (needed for <see cref="WschatClient.SetBadWordsAsync"/>).</summary>
    public string? AccessToken { get; init; }

    /// <summary>How long a call waits for the server's answer.</summary>
    public TimeSpan RequestTimeout { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>Reconnect after a dropped connection, restoring room and login.</summary>
    public bool AutoReconnect { get; init; } = true;

    /// <summary>
    /// Join with offsets, and after a reconnect receive the danmu and text missed meanwhile, in order and
    /// each once, before the live ones (<see cref="WschatClient.RoomResumed"/>). Costs a small <c>offset</c>
    /// message before each room message.
    /// </summary>
    public bool RecoverMissedMessages { get; init; } = true;

    /// <summary>Waits before successive reconnect attempts; the last one repeats.</summary>
    public IReadOnlyList<TimeSpan> ReconnectDelays { get; init; } =
        [TimeSpan.Zero, TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(2), TimeSpan.FromSeconds(5), TimeSpan.FromSeconds(10)];

    internal WschatTransportKind ResolvedTransport => Transport ?? (ServerUri.Scheme is "ws" or "wss" ? WschatTransportKind.Raw : WschatTransportKind.SignalRJson);
}
