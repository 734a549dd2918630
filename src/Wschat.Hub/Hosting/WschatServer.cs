using System.Net;
using System.Security.Cryptography.X509Certificates;
using Microsoft.AspNetCore.HttpOverrides;
using Microsoft.AspNetCore.SignalR;
using Microsoft.Extensions.Options;
using Wschat.Contracts;
using Wschat.Hub.Hubs;
using Wschat.Hub.Identity;
using Wschat.Hub.Moderation;
using Wschat.Hub.Presence;
using Wschat.Hub.Redis;
using Wschat.Hub.Rooms;
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
        builder.Services.AddWschat(builder.Configuration);
        ListenAsLegacyConfigSays(builder);

        var app = builder.Build();

        // Before the endpoints resolve services that read options: every bad value is reported, together.
        app.Services.GetRequiredService<IStartupValidator>().Validate();
        UseEndpoints(app);
        return app;
    }

    /// <summary>
    /// Everything the server needs, in one call: each concern registers its in-memory or its Redis
    /// implementation, chosen by whether <c>Wschat:Redis</c> is configured; nothing replaces anything.
    /// </summary>
    public static IServiceCollection AddWschat(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddSingleton(TimeProvider.System);
        services.AddWschatRedis(configuration);
        services.AddWschatIdentity(configuration);
        services.AddWschatPresence(configuration);
        services.AddWschatModeration(configuration);
        services.AddWschatChat(configuration);
        services.AddHealthChecks();
        AddHostingOptions(services, configuration);

        var payloadOptions = ContractSerializer.CreateOptions(Utf8PassthroughJavaScriptEncoder.Instance);
        services.AddSignalR(hub =>
            {
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

        services.AddOptions<HubOptions>().Configure<IOptions<TransportLimitsOptions>>(static (hub, limits) =>
            hub.MaximumReceiveMessageSize = limits.Value.MaxMessageBytes);
        services.AddOptions<WschatTransportOptions>().Configure<IOptions<TransportLimitsOptions>>(static (transport, limits) =>
        {
            transport.MaxMessageBytes = limits.Value.MaxMessageBytes;
            transport.MaxQueuedBytes = limits.Value.MaxQueuedBytes;
        });
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
    /// Without explicit ASP.NET Core addresses (<c>--urls</c>, <c>ASPNETCORE_URLS</c>, <c>Kestrel:Endpoints</c>),
    /// listen where the legacy <c>conf/lblserver.conf</c> says: port 3000 by default, TLS from its PEM pair.
    /// </summary>
    private static void ListenAsLegacyConfigSays(WebApplicationBuilder builder)
    {
        var configuration = builder.Configuration;
        if (!string.IsNullOrEmpty(configuration["urls"]) || !string.IsNullOrEmpty(configuration["http_ports"])
            || !string.IsNullOrEmpty(configuration["https_ports"]) || configuration.GetSection("Kestrel:Endpoints").Exists())
        {
            return;
        }

        var root = builder.Environment.ContentRootPath;
        var legacy = LegacyServerConfig.Load(
            Path.GetFullPath(configuration[LegacyServerConfig.ConfigurationKey] ?? LegacyServerConfig.DefaultPath, root), root);
        builder.WebHost.ConfigureKestrel(kestrel => kestrel.ListenAnyIP(legacy.Port, listen =>
        {
            if (legacy.Ssl)
            {
                listen.UseHttps(X509Certificate2.CreateFromPemFile(
                    legacy.CertificatePath ?? throw new InvalidOperationException("lblserver.conf: ssl=1 needs ssl_cert"),
                    legacy.KeyPath ?? throw new InvalidOperationException("lblserver.conf: ssl=1 needs ssl_key")));
            }
        }));
    }

    private static void UseEndpoints(WebApplication app)
    {
        app.UseForwardedHeaders();
        app.UseWebSockets();
        app.UseMiddleware<ConnectionAdmissionMiddleware>();
        app.UseAuthentication();
        app.UseWschatPages();

        app.MapHub<WschatHub>(HubPath).WithMetadata(ChatEndpoint.SignalR);
        app.MapWschat<WschatHub>(RawPath).WithMetadata(ChatEndpoint.Raw);
        app.MapWschatHealth();
    }
}
