using System.Diagnostics.Metrics;

namespace Wschat.RawAdapter.Outbound;

/// <summary>Counts connections dropped because their client read too slowly (meter <c>Wschat.Outbound</c>).</summary>
internal static class OutboundMetrics
{
    private static readonly Meter s_meter = new("Wschat.Outbound");
    private static readonly Counter<long> s_slowConsumersDropped = s_meter.CreateCounter<long>(
        "wschat.outbound.slow_consumers_dropped", unit: "{connection}", description: "Connections dropped for falling more than MaxQueuedBytes behind.");

    public static void SlowConsumerDropped(string transport) =>
        s_slowConsumersDropped.Add(1, new KeyValuePair<string, object?>("transport", transport));
}
