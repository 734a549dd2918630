using Microsoft.AspNetCore.Connections.Features;
using Microsoft.AspNetCore.SignalR;
using Microsoft.Extensions.Logging;
using Wschat.RawAdapter.Diagnostics;
using Wschat.RawAdapter.Transport;

namespace Wschat.RawAdapter.Outbound;

/// <summary>
/// Gives every hub connection its bounded outbound queue: a raw socket's own
/// <see cref="OutboundQueue"/>, or for a SignalR connection a queue in front of it. Both are
/// written by the node's <see cref="OutboundPumps"/>.
/// </summary>
public sealed class ConnectionOutboxes
{
    private readonly OutboundPumps _pumps;
    private readonly int _maxQueuedBytes;
    private readonly OutboundMetrics _metrics;
    private readonly ILogger _logger;

    internal ConnectionOutboxes(OutboundPumps pumps, WschatTransportOptions options, OutboundMetrics metrics, ILogger<ConnectionOutboxes> logger)
    {
        _pumps = pumps;
        _maxQueuedBytes = options.MaxQueuedBytes;
        _metrics = metrics;
        _logger = logger;
    }

    /// <summary>The outbox of <paramref name="connection"/>; a SignalR connection gets a new one, to keep while it lives.</summary>
    public IConnectionOutbox Create(HubConnectionContext connection) =>
        (IConnectionOutbox?)connection.Features.Get<OutboundQueue>() ?? new HubConnectionOutbox(connection, _pumps.Next(), _maxQueuedBytes, Overflowed);

    private void Overflowed(HubConnectionContext connection)
    {
        OutboundLog.DroppingSlowConsumer(_logger, connection.ConnectionId, _maxQueuedBytes);
        _metrics.SlowConsumerDropped(WschatMeter.TransportOf(connection.Features));
        connection.Abort();

        // The transport too: SignalR writes a close message before it ends the hub's side, and against a client
        // that reads nothing that write waits until the transport gives up (10-16 s), the room counting it meanwhile.
        connection.Features.Get<IConnectionLifetimeFeature>()?.Abort();
    }
}
