using System.Diagnostics.Metrics;
using Microsoft.AspNetCore.Http.Features;
using Wschat.Outbound;

namespace Wschat.RawAdapter.Diagnostics;

/// <summary>Counts connections dropped because their client read too slowly, by transport.</summary>
internal sealed class OutboundMetrics(IMeterFactory meters) : IOutboundMetrics
{
    private readonly Counter<long> _slowConsumersDropped = WschatMeter.Create(meters).CreateCounter<long>(
        "wschat.slow_consumers.dropped", unit: "{connection}", description: "Connections dropped for falling more than MaxQueuedBytes behind.");

    public void SlowConsumerDropped(IFeatureCollection connection) =>
        _slowConsumersDropped.Add(1, new KeyValuePair<string, object?>(WschatMeter.TransportTag, WschatMeter.TransportOf(connection)));
}
