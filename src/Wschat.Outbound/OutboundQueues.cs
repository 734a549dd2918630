using Microsoft.AspNetCore.Connections;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.SignalR;
using Microsoft.Extensions.Logging;

namespace Wschat.Outbound;

/// <summary>
/// Gives every hub connection its <see cref="OutboundQueue"/>, in its features as
/// <see cref="IOutboundQueueFeature"/>, on the node's <see cref="OutboundPumps"/> and bounded by
/// <see cref="OutboundOptions.MaxQueuedBytes"/>; a connection whose queue overflows is logged once
/// and counted, whatever its transport.
/// </summary>
public sealed class OutboundQueues
{
    private readonly OutboundPumps _pumps;
    private readonly int _limit;
    private readonly IOutboundMetrics _metrics;
    private readonly ILogger _logger;

    internal OutboundQueues(OutboundPumps pumps, OutboundOptions options, IOutboundMetrics metrics, ILogger<OutboundQueues> logger)
    {
        _pumps = pumps;
        _limit = options.MaxQueuedBytes;
        _metrics = metrics;
        _logger = logger;
    }

    /// <summary>
    /// The queue of a connection whose transport writes its socket itself (the raw wschat endpoint):
    /// its frames go to <paramref name="socket"/> as they are, everything queued in one write.
    /// </summary>
    /// <param name="connection">The transport's connection; its features get the queue.</param>
    /// <param name="socket">Where the frames go; each write must be whole, never interleaved with another.</param>
    /// <param name="abort">Drops the socket at once.</param>
    public OutboundQueue Create(ConnectionContext connection, Stream socket, Action abort) =>
        Attach(connection.ConnectionId, connection.Features, new SocketOutboundWriter(socket, abort));

    /// <summary>
    /// The queue of <paramref name="connection"/>: the one its transport set, else (SignalR's transports)
    /// a new one in front of the connection, kept in its features while it lives.
    /// </summary>
    public OutboundQueue GetOrCreate(HubConnectionContext connection) =>
        connection.Features.Get<IOutboundQueueFeature>()?.Queue
        ?? Attach(connection.ConnectionId, connection.Features, new HubConnectionOutboundWriter(connection));

    /// <summary>A queue's connection is being dropped: it overflowed (<paramref name="failure"/> null) or a write failed.</summary>
    internal void Dropped(string connectionId, IFeatureCollection features, Exception? failure)
    {
        if (failure is null)
        {
            OutboundLog.DroppingSlowConsumer(_logger, connectionId, _limit);
            _metrics.SlowConsumerDropped(features);
        }
        else
        {
            OutboundLog.WriteFailed(_logger, connectionId, failure);
        }
    }

    private OutboundQueue Attach(string connectionId, IFeatureCollection features, IOutboundWriter writer)
    {
        var queue = new OutboundQueue(writer, _pumps.Next(), _limit, this, connectionId, features);
        features.Set<IOutboundQueueFeature>(queue);
        return queue;
    }
}
