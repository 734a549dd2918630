namespace Wschat.Hub.Rooms;

/// <summary>A single node's cluster bus: the node is the whole cluster, so a send reaches its own listener only.</summary>
internal sealed class MemoryClusterBus<THub> : IClusterBus<THub>
    where THub : Microsoft.AspNetCore.SignalR.Hub
{
    private Action<ClusterSend>? _deliver;

    public Task ListenAsync(Action<ClusterSend> deliver)
    {
        _deliver = deliver;
        return Task.CompletedTask;
    }

    public void Publish(ClusterSend send) => _deliver?.Invoke(send);
}
