using System.Net;
using System.Security.Cryptography.X509Certificates;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.HttpOverrides;
using Microsoft.AspNetCore.SignalR;
using Wschat.Contracts;
using Wschat.Hub.Backplane;
using Wschat.Hub.Hubs;
using Wschat.Hub.Identity;
using Wschat.Hub.Moderation;
using Wschat.Hub.Presence;
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
        AddServices(builder);
        ListenAsLegacyConfigSays(builder);

        var app = builder.Build();
        UseEndpoints(app);
        return app;
    }

    private static void AddServices(WebApplicationBuilder builder)
    {
        var services = builder.Services;
        var configuration = builder.Configuration;
        var section = configuration.GetSection(WschatOptions.SectionName);
        services.Configure<WschatOptions>(section);
        var limits = section.GetSection(nameof(WschatOptions.Limits)).Get<WschatLimitsOptions>() ?? new();
        var wschat = section.Get<WschatOptions>() ?? new();

        services.AddSingleton(TimeProvider.System);
        services.AddSingleton<NodeIdentity>();
        services.AddSingleton<IUidAllocator, ClockUidAllocator>();
        services.AddSingleton<IUserIdProvider, UidUserIdProvider>();
        services.AddSingleton<IPresenceStore, MemoryPresenceStore>();
        services.AddSingleton<PresenceDepartures>();
        services.AddHostedService<ExpiredMemberAnnouncer>();
        services.AddSingleton<MessageRateLimitFilter>();
        services.AddWschatModeration(configuration);
        services.AddHealthChecks();

        // The core services only: the admin token scheme needs no cookies, so no data protection keys.
        services.AddWebEncoders();
        services.AddAuthenticationCore(auth => auth.DefaultScheme = AdminTokenAuthenticationHandler.SchemeName);
        new AuthenticationBuilder(services)
            .AddScheme<AuthenticationSchemeOptions, AdminTokenAuthenticationHandler>(AdminTokenAuthenticationHandler.SchemeName, null);

        services.Configure<ForwardedHeadersOptions>(forwarded =>
        {
            // Only configured proxies are believed. The framework trusts loopback by default and,
            // with both lists empty, everyone: so with none configured the header is not read at all.
            forwarded.ForwardedHeaders = wschat.TrustedProxies.Count + wschat.TrustedNetworks.Count > 0
                ? ForwardedHeaders.XForwardedFor
                : ForwardedHeaders.None;
            forwarded.KnownProxies.Clear();
            forwarded.KnownIPNetworks.Clear();
            foreach (var proxy in wschat.TrustedProxies)
            {
                forwarded.KnownProxies.Add(IPAddress.Parse(proxy));
            }

            foreach (var network in wschat.TrustedNetworks)
            {
                forwarded.KnownIPNetworks.Add(System.Net.IPNetwork.Parse(network));
            }
        });

        var payloadOptions = ContractSerializer.CreateOptions(Utf8PassthroughJavaScriptEncoder.Instance);
        var signalR = services.AddSignalR(hub =>
            {
                hub.MaximumReceiveMessageSize = limits.MaxMessageBytes;
                hub.AddFilter<MessageRateLimitFilter>();
            })
            .AddJsonProtocol(json => json.PayloadSerializerOptions = payloadOptions)
            .AddUtf8JsonProtocol()
            .AddMessagePackProtocol()
            .AddWschatProtocol()
            .AddWschatRooms(configuration, clustered: !string.IsNullOrEmpty(wschat.Redis));
        if (!string.IsNullOrEmpty(wschat.Redis))
        {
            signalR.AddWschatCluster();
        }

        services.Configure<WschatProtocolOptions>(protocol => protocol.PayloadSerializerOptions = payloadOptions);
        services.Configure<WschatTransportOptions>(transport =>
        {
            transport.MaxMessageBytes = limits.MaxMessageBytes;
            transport.MaxQueuedBytes = limits.MaxQueuedBytes;
        });

        // Server pings keep idle sockets alive through proxies and find dead clients; both endpoints use them.
        services.Configure<WebSocketOptions>(webSockets =>
        {
            webSockets.KeepAliveInterval = TimeSpan.FromSeconds(15);
            webSockets.KeepAliveTimeout = TimeSpan.FromSeconds(30);
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
        app.UseMiddleware<WebSocketAdmissionMiddleware>();
        app.UseAuthentication();

        app.MapHub<WschatHub>(HubPath);
        app.MapWschat<WschatHub>(RawPath);
        app.MapWschatHealth();
    }
}
