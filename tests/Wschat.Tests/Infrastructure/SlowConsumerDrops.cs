using System.Collections.Concurrent;
using System.Diagnostics;
using System.Diagnostics.Metrics;
using Microsoft.Extensions.DependencyInjection;
using Wschat.RawAdapter.Diagnostics;

namespace Wschat.Tests.Infrastructure;

/// <summary>
/// The connections a node in this process dropped for a full queue, from its meter: each one's transport and
/// when. A drop is counted before the connection is cut, so before anyone sees it leave.
/// </summary>
internal sealed class SlowConsumerDrops : IDisposable
{
    private readonly MeterListener _listener = new();
    private readonly ConcurrentQueue<(string? Transport, long At)> _drops = new();

    public SlowConsumerDrops(HubNode node)
    {
        var meters = node.Services.GetRequiredService<IMeterFactory>();
        _listener.InstrumentPublished = (instrument, listener) =>
        {
            if (ReferenceEquals(instrument.Meter.Scope, meters) && instrument is { Meter.Name: WschatMeter.Name, Name: "wschat.slow_consumers.dropped" })
            {
                listener.EnableMeasurementEvents(instrument);
            }
        };
        _listener.SetMeasurementEventCallback<long>((_, _, tags, _) =>
        {
            foreach (var tag in tags)
            {
                if (tag.Key == WschatMeter.TransportTag)
                {
                    _drops.Enqueue((tag.Value as string, Stopwatch.GetTimestamp()));
                }
            }
        });
        _listener.Start();
    }

    /// <summary>The transport of each drop, in order.</summary>
    public IReadOnlyList<string?> Transports => [.. _drops.Select(static drop => drop.Transport)];

    /// <summary>When the last SignalR connection (any transport but raw) was dropped, at or before <paramref name="timestamp"/>.</summary>
    public long? LastSignalRBefore(long timestamp) =>
        _drops.Where(drop => drop.Transport != WschatMeter.RawTransport && drop.At <= timestamp).Select(static drop => (long?)drop.At).Max();

    public void Dispose() => _listener.Dispose();
}
