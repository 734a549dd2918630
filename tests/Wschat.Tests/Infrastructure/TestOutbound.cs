using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Wschat.Outbound;

namespace Wschat.Tests.Infrastructure;

/// <summary>Outbound queues for parts the tests build by hand.</summary>
internal static class TestOutbound
{
    /// <summary>Queues bounded by <paramref name="limit"/> on a pump of their own, reporting drops to <paramref name="metrics"/> (by default the tests' meter).</summary>
    public static OutboundQueues Queues(int limit, IOutboundMetrics? metrics = null, ILoggerFactory? logs = null) =>
        new(new OutboundPumps(new OutboundPump()), new OutboundOptions { MaxQueuedBytes = limit }, metrics ?? TestMetrics.Outbound, (logs ?? NullLoggerFactory.Instance).CreateLogger<OutboundQueues>());
}
