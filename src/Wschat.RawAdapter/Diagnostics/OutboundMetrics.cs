using System.Diagnostics.Metrics;

namespace Wschat.RawAdapter.Diagnostics;

/// <summary>Counts connections dropped because their client read too slowly.</summary>
internal sealed class OutboundMetrics(IMeterFactory meters)
{
    private readonly Counter<long> _slowConsumersDropped = WschatMeter.Create(meters).CreateCounter<long>(
        "wschat.slow_consumers.dropped", unit: "{connection}", description: "Connections dropped for falling more than MaxQueuedBytes behind.");

    public void SlowConsumerDropped(string transport) =>
        _slowConsumersDropped.Add(1, new KeyValuePair<string, object?>(WschatMeter.TransportTag, transport));
}
