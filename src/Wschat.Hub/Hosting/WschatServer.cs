using System.Net;
using Microsoft.AspNetCore.HttpOverrides;
using Microsoft.AspNetCore.Server.Kestrel.Transport.Sockets;
using Microsoft.AspNetCore.SignalR;
using Microsoft.Extensions.Options;
using Wschat.Contracts;
using Wschat.Hub.Diagnostics;
using Wschat.Hub.Api;
using Wschat.Hub.Hubs;
using Wschat.Hub.Identity;
using Wschat.Hub.Moderation;
using Wschat.Hub.Presence;
using Wschat.Hub.Rooms;
using Wschat.Hub.Storage;
using Wschat.Outbound;
using Wschat.RawAdapter;
using Wschat.RawAdapter.Protocol;
using Wschat.RawAdapter.Transport;

namespace Wschat.Hub.Hosting;

/// <summary>Composition of the server: services, endpoints and listening addresses.</summary>
public static class WschatServer
{
    public const string HubPath = "/hub";
    public const string RawPath = "/";

    public static WebApplication Build(string[] args)
    {
        var builder = WebApplication.CreateBuilder(args);

        // Kestrel's sockets send (and run what a read completes) on the thread that asked instead of queueing a
        // thread-pool item each time: a room message reaches each member one hop sooner (docs/performance.md).
        // Kestrel calls it unsafe for code that blocks a request thread; nothing here does.
        // Wschat:Sockets binds the transport's options (e.g. UnsafePreferInlineScheduling=false).
        builder.Services.AddOptions<SocketTransportOptions>()
            .Configure(static sockets => sockets.UnsafePreferInlineScheduling = true)
            .Bind(builder.Configuration.GetSection("Wschat:Sockets"));

        // Under systemd (Type=notify) or as a Windows service, the host says when it is ready and stops
        // on the service manager's word; run from a shell, both do nothing.
        builder.Services.AddSystemd();
        builder.Services.AddWindowsService();
        builder.Services.AddWschat(builder.Configuration);
        builder.AddWschatRequestLogging();
        var listen = ListenChoice.Apply(builder);

        var app = builder.Build();
        listen.Log(app.Logger);

        // Before the endpoints resolve services that read options: every bad value is reported, together.
        app.Services.GetRequiredService<IStartupValidator>().Validate();
        UseEndpoints(app);
        return app;
    }

    /// <summary>
    /// Everything the server needs, in one call: each concern registers its in-memory implementation, and
    /// with <c>Wschat:Redis</c> configured, <see cref="BackendServiceCollectionExtensions.AddWschatBackend"/>
    /// its Redis one in its place.
    /// </summary>
    public static IServiceCollection AddWschat(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddSingleton(TimeProvider.System);
        services.AddWschatMetrics(configuration);
        services.AddWschatBackend(configuration);
        services.AddWschatStorage(configuration);
        services.AddWschatIdentity(configuration);
        services.AddWschatPresence(configuration);
        services.AddWschatModeration(configuration);
        services.AddWschatChat(configuration);
        services.AddWschatApi();
        services.AddHealthChecks();
        AddHostingOptions(services, configuration);

        var payloadOptions = ContractSerializer.CreateOptions(Utf8PassthroughJavaScriptEncoder.Instance);
        services.AddSignalR(hub =>
            {
                hub.AddFilter<MessageMetricsFilter>();
                hub.AddFilter<ConnectionLimitFilter>();
                hub.AddFilter<ConnectionCloseFilter>();
                hub.AddFilter<MessageRateLimitFilter>();
            })
            .AddJsonProtocol(json => json.PayloadSerializerOptions = payloadOptions)
            .AddUtf8JsonProtocol()
            .AddMessagePackProtocol()
            .AddWschatProtocol()
            .AddWschatRooms(configuration);

        services.Configure<WschatProtocolOptions>(protocol => protocol.PayloadSerializerOptions = payloadOptions);

        // Server pings keep idle sockets alive through proxies and find dead clients; both endpoints use them.
        services.Configure<WebSocketOptions>(webSockets =>
        {
            webSockets.KeepAliveInterval = TimeSpan.FromSeconds(15);
            webSockets.KeepAliveTimeout = TimeSpan.FromSeconds(30);
        });
        return services;
    }

    /// <summary>Limits and trusted proxies, applied to the framework's own options once they are validated.</summary>
    private static void AddHostingOptions(IServiceCollection services, IConfiguration configuration)
    {
        services.AddValidatedOptions<TransportLimitsOptions>(configuration, TransportLimitsOptions.SectionName);
        services.AddValidatedOptions<AdmissionOptions>(configuration, AdmissionOptions.SectionName);
        services.AddValidatedOptions<TrustedProxyOptions>(configuration, TrustedProxyOptions.SectionName);
        services.AddSingleton<ConnectionLimitFilter>();
        services.AddSingleton<ConnectionRateLimiter>();
        services.AddSingleton<ConnectionAdmission>();

        services.AddOptions<HubOptions>().Configure<IOptions<TransportLimitsOptions>>(static (hub, limits) =>
            hub.MaximumReceiveMessageSize = limits.Value.MaxMessageBytes);
        services.AddOptions<WschatTransportOptions>().Configure<IOptions<TransportLimitsOptions>>(static (transport, limits) =>
            transport.MaxMessageBytes = limits.Value.MaxMessageBytes);
        AddOutbound(services, configuration);
        services.AddOptions<ForwardedHeadersOptions>().Configure<IOptions<TrustedProxyOptions>>(static (forwarded, options) =>
        {
            // Only configured proxies are believed. The framework trusts loopback by default and,
            // with both lists empty, everyone: so with none configured the header is not read at all.
            var trusted = options.Value;
            forwarded.ForwardedHeaders = trusted.TrustedProxies.Count + trusted.TrustedNetworks.Count > 0
                ? ForwardedHeaders.XForwardedFor
                : ForwardedHeaders.None;
            forwarded.KnownProxies.Clear();
            forwarded.KnownIPNetworks.Clear();
            foreach (var proxy in trusted.TrustedProxies)
            {
                forwarded.KnownProxies.Add(IPAddress.Parse(proxy));
            }

            foreach (var network in trusted.TrustedNetworks)
            {
                forwarded.KnownIPNetworks.Add(System.Net.IPNetwork.Parse(network));
            }
        });
    }

    /// <summary>
    /// Every connection's outbound queue, bound from <c>Wschat:Outbound</c>. Its one key was
    /// <c>Wschat:Limits:MaxQueuedBytes</c> before the queue had a section: still read, the new key wins.
    /// </summary>
    private static void AddOutbound(IServiceCollection services, IConfiguration configuration)
    {
        services.AddWschatOutbound();
        services.AddOptions<OutboundOptions>()
            .Configure(outbound =>
            {
                if (configuration.GetSection(TransportLimitsOptions.SectionName).GetValue<int?>(nameof(OutboundOptions.MaxQueuedBytes)) is { } legacy)
                {
                    outbound.MaxQueuedBytes = legacy;
                }
            })
            .Bind(configuration.GetSection(OutboundOptions.SectionName));
    }

    private static void UseEndpoints(WebApplication app)
    {
        app.UseHttpLogging();
        app.UseWschatMetrics();
        app.UseForwardedHeaders();
        app.UseWebSockets();
        app.UseWschatPages();

        // Routed here, after what every request needs: the chat endpoints are served from this point, past the rest.
        app.UseRouting();
        app.UseAuthentication();

        app.MapHub<WschatHub>(HubPath).AsChatEndpoint(ChatEndpoint.SignalR);
        app.MapWschat<WschatHub>(RawPath).AsChatEndpoint(ChatEndpoint.Raw);
        app.MapWschatHealth();
        app.MapWschatApi();
    }
}
