using System.Diagnostics.Metrics;
using Microsoft.Extensions.Options;
using Prometheus;

namespace Wschat.Hub.Diagnostics;

/// <summary>
/// Reads this node's meters (its own, and ASP.NET Core's if <see cref="MetricsOptions.AspNetCoreMeters"/>; all
/// made by the host's <see cref="IMeterFactory"/>) into a registry of its own, so nodes sharing a process (tests)
/// keep their numbers apart.
/// prometheus-net names each series after its meter and instrument (<c>Wschat</c> + <c>wschat.connections</c>:
/// <c>wschat_wschat_connections</c>) and exports counters as gauges (a meter's counter may restart).
/// </summary>
internal sealed class PrometheusExporter : IDisposable
{
    private const string AspNetCoreMeterPrefix = "Microsoft.AspNetCore.";

    private readonly IDisposable _adapter;

    public PrometheusExporter(IMeterFactory meters, IOptions<MetricsOptions> options)
    {
        var aspNetCore = options.Value.AspNetCoreMeters;
        Registry = Metrics.NewCustomRegistry();
        DotNetStats.Register(Registry);
        _adapter = MeterAdapter.StartListening(new MeterAdapterOptions
        {
            Registry = Registry,
            MetricFactory = Metrics.WithCustomRegistry(Registry),
            InstrumentFilterPredicate = instrument => ReferenceEquals(instrument.Meter.Scope, meters)
                && (aspNetCore || !instrument.Meter.Name.StartsWith(AspNetCoreMeterPrefix, StringComparison.Ordinal)),

            // The adapter forgets series idle this long (a day at most); what goes up and down is observed at
            // each scrape, so never idle. Label sets here are few and bounded: kept as long as it allows.
            MetricsExpireAfter = TimeSpan.FromDays(1),
            ResolveHistogramBuckets = static instrument => instrument.Unit == "s" ? s_secondsBuckets : s_countBuckets,
        });
    }

    // 10 µs to ~40 s: fan-outs take microseconds, Redis round trips milliseconds.
    private static readonly double[] s_secondsBuckets = Histogram.ExponentialBuckets(0.00001, 4, 12);

    // 1 to 256: a Redis batch holds at most 256 messages.
    private static readonly double[] s_countBuckets = Histogram.ExponentialBuckets(1, 2, 9);

    public CollectorRegistry Registry { get; }

    public void Dispose() => _adapter.Dispose();
}
