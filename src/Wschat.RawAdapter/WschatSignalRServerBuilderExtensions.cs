using Microsoft.AspNetCore.SignalR;
using Microsoft.AspNetCore.SignalR.Protocol;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using Wschat.Outbound;
using Wschat.RawAdapter.Diagnostics;
using Wschat.RawAdapter.Protocol;
using Wschat.RawAdapter.Transport;

namespace Wschat.RawAdapter;

public static class WschatSignalRServerBuilderExtensions
{
    /// <summary>
    /// Adds the wschat hub protocol to SignalR's supported protocols. Every node of a scaled-out
    /// hub must add it: the backplane serializes each message for every supported protocol.
    /// </summary>
    public static ISignalRServerBuilder AddWschatProtocol(this ISignalRServerBuilder builder)
    {
        builder.Services.TryAddEnumerable(ServiceDescriptor.Singleton<IHubProtocol, WschatHubProtocol>());
        builder.Services.AddOptions<WschatProtocolOptions>();
        builder.Services.AddOptions<WschatTransportOptions>();

        // The raw endpoint's sockets queue as every connection does; drops are counted on the server's meter.
        builder.Services.AddWschatOutbound();
        builder.Services.TryAddSingleton<IOutboundMetrics, OutboundMetrics>();

        // The hub must accept every record the transport lets through.
        builder.Services.AddOptions<HubOptions>().PostConfigure<IOptions<WschatTransportOptions>>(static (hub, transport) =>
        {
            var needed = transport.Value.MaxMessageBytes + WschatFrame.HeaderSize;
            if (hub.MaximumReceiveMessageSize is { } max && max < needed)
            {
                hub.MaximumReceiveMessageSize = needed;
            }
        });
        return builder;
    }

    /// <summary>
    /// Replaces SignalR's "json" protocol with <see cref="Utf8JsonHubProtocol"/>: the same wire
    /// format, with Chinese text and emoji written as UTF-8.
    /// </summary>
    public static ISignalRServerBuilder AddUtf8JsonProtocol(this ISignalRServerBuilder builder)
    {
        foreach (var builtIn in builder.Services.Where(static d => d.ServiceType == typeof(IHubProtocol) && d.ImplementationType == typeof(JsonHubProtocol)).ToList())
        {
            builder.Services.Remove(builtIn);
        }

        builder.Services.TryAddEnumerable(ServiceDescriptor.Singleton<IHubProtocol, Utf8JsonHubProtocol>());
        return builder;
    }
}
