namespace Wschat.Client.Transport;

/// <summary>One connection to the server over one transport; the client above it is the same for all.</summary>
internal interface IWschatConnection : IAsyncDisposable
{
    /// <summary>Every server message, as its wschat type and typed payload.</summary>
    event Action<string, object>? MessageReceived;

    /// <summary>The connection ended (null: closed on purpose).</summary>
    event Action<Exception?>? Closed;

    Task StartAsync(CancellationToken cancellationToken);

    /// <summary>Sends hub method <paramref name="type"/> with its payload (an object, a string, or none).</summary>
    Task SendAsync(string type, object? payload, CancellationToken cancellationToken);
}
