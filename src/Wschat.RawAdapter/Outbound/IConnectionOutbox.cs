using Microsoft.AspNetCore.SignalR;

namespace Wschat.RawAdapter.Outbound;

/// <summary>
/// A connection's bounded outbound queue: the one way a lifetime manager hands it messages. Raw
/// and SignalR connections alike; a write never waits for the socket, and a connection whose
/// client falls more than <c>MaxQueuedBytes</c> behind is dropped rather than waited for.
/// </summary>
public interface IConnectionOutbox
{
    /// <summary>
    /// Queues <paramref name="message"/>, whose bytes in this connection's protocol are
    /// <paramref name="serialized"/> (shared, never changed afterwards). False once the connection
    /// is closed or being dropped.
    /// </summary>
    bool TryEnqueue(SerializedHubMessage message, ReadOnlyMemory<byte> serialized);
}
