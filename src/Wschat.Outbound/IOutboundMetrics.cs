using Microsoft.AspNetCore.Http.Features;

namespace Wschat.Outbound;

/// <summary>
/// Where the queues report what they do to connections. The node's meter, and how it names a
/// connection's transport, belong to the server: the queues, below every transport, only report.
/// </summary>
public interface IOutboundMetrics
{
    /// <summary>The connection with these features was dropped: its client fell more than <see cref="OutboundOptions.MaxQueuedBytes"/> behind.</summary>
    void SlowConsumerDropped(IFeatureCollection connection);
}
