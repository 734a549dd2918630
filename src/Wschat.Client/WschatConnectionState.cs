namespace Wschat.Client;

/// <summary>Where a <see cref="WschatClient"/> stands.</summary>
public enum WschatConnectionState
{
    Disconnected,
    Connecting,
    Connected,

    /// <summary>The connection dropped; the client is reconnecting and will restore room and login.</summary>
    Reconnecting,
}
