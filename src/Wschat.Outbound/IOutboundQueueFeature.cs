namespace Wschat.Outbound;

/// <summary>
/// A hub connection's outbound queue, in the connection's features: the one way a lifetime manager
/// hands it messages, raw and SignalR connections alike. A transport that writes its socket itself
/// sets it when it opens the connection; <see cref="OutboundQueues.GetOrCreate"/> sets it for the rest.
/// </summary>
public interface IOutboundQueueFeature
{
    OutboundQueue Queue { get; }
}
