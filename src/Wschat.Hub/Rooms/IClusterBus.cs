namespace Wschat.Hub.Rooms;

/// <summary>
/// Carries what is not a room (sends to uids, to connections, to everyone, and kicks) to every node of the
/// cluster, this one included: the publishing node's listener gets a send before <see cref="Publish"/> returns,
/// every other node's listener once, in the order the node published them. One bus per hub, as its lifetime
/// manager is; the rooms travel on the <see cref="IRoomBroker"/>.
/// </summary>
internal interface IClusterBus<THub>
    where THub : Microsoft.AspNetCore.SignalR.Hub
{
    /// <summary>
    /// Hands every send, this node's and the others', to <paramref name="deliver"/> (the node's one listener,
    /// its lifetime manager). Completes once the other nodes' sends reach it, or at once while the backplane is
    /// away (they reach it when it returns).
    /// </summary>
    Task ListenAsync(Action<ClusterSend> deliver);

    /// <summary>Delivers to this node's listener now, and to the other nodes' without waiting for them; while the backplane is away, they miss it.</summary>
    void Publish(ClusterSend send);
}
