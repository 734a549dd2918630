using System.Diagnostics.Metrics;
using Microsoft.AspNetCore.Http.Connections;
using Microsoft.AspNetCore.Http.Connections.Features;
using Microsoft.AspNetCore.Http.Features;
using Wschat.RawAdapter.Transport;

namespace Wschat.RawAdapter.Diagnostics;

/// <summary>
/// The server's one meter, made by the host's <see cref="IMeterFactory"/> (which hands every caller the
/// same instance for a name), so each node in a process has its own: its instruments are named
/// <c>wschat.…</c> after OpenTelemetry's conventions, their attributes <c>wschat.…</c> too.
/// </summary>
public static class WschatMeter
{
    public const string Name = "Wschat";

    public const string TransportTag = "wschat.transport";

    /// <summary>The raw wschat endpoint's transport; SignalR's are named after <see cref="HttpTransportType"/>.</summary>
    public const string RawTransport = "raw";

    public static Meter Create(IMeterFactory factory) => factory.Create(Name);

    /// <summary>How a hub connection travels: <c>raw</c>, <c>websockets</c>, <c>serversentevents</c> or <c>longpolling</c>.</summary>
    public static string TransportOf(IFeatureCollection features) =>
        features.Get<IRawTransportFeature>() is not null ? RawTransport : features.Get<IHttpTransportFeature>()?.TransportType switch
        {
            HttpTransportType.WebSockets => "websockets",
            HttpTransportType.ServerSentEvents => "serversentevents",
            HttpTransportType.LongPolling => "longpolling",
            _ => "unknown",
        };
}
