using System.Globalization;
using System.Security.Cryptography.X509Certificates;
using Wschat.Hub.Diagnostics;

namespace Wschat.Hub.Hosting;

/// <summary>
/// Where the server listens: as ASP.NET Core's own settings say when any is given (<c>--urls</c>,
/// <c>ASPNETCORE_URLS</c>, <c>ASPNETCORE_HTTP_PORTS</c> as the official container images set it,
/// <c>Kestrel:Endpoints</c>), else as the legacy <c>conf/lblserver.conf</c> says. Either way one log
/// line says which won and why, so a conf file is never ignored silently; its values are checked even then.
/// The management port (<see cref="MetricsOptions.Port"/>) is added to whichever wins.
/// </summary>
internal sealed class ListenChoice
{
    // In the order ASP.NET Core lets them override one another: endpoints, then urls, then port lists.
    private static readonly string[] s_aspNetCoreKeys = ["Kestrel:Endpoints", "urls", "http_ports", "https_ports"];

    private readonly Action<ILogger> _log;
    private readonly int? _metricsPort;

    private ListenChoice(Action<ILogger> log, int? metricsPort)
    {
        _log = log;
        _metricsPort = metricsPort;
    }

    /// <exception cref="InvalidDataException">lblserver.conf holds a value its key does not take.</exception>
    public static ListenChoice Apply(WebApplicationBuilder builder)
    {
        var configuration = builder.Configuration;
        var root = builder.Environment.ContentRootPath;
        var file = Path.GetFullPath(configuration[LegacyServerConfig.ConfigurationKey] ?? LegacyServerConfig.DefaultPath, root);
        var legacy = LegacyServerConfig.Load(file, root);
        var exists = File.Exists(file);
        var metrics = configuration.GetSection(MetricsOptions.SectionName).Get<MetricsOptions>() ?? new();
        var metricsPort = metrics.Enabled ? metrics.Port : null;

        if (s_aspNetCoreKeys.FirstOrDefault(key => IsSet(configuration.GetSection(key))) is { } key)
        {
            var section = configuration.GetSection(key);
            var value = section.Value ?? string.Join(", ", section.GetChildren().Select(static c => c.Key));
            var source = SourceOf(configuration, key);
            if (metricsPort is { } port)
            {
                AddMetricsPort(configuration, key, port);
            }

            return new(logger =>
            {
                if (exists)
                {
                    HostingLog.LegacyConfigOverridden(logger, file, key, source, value);
                }
                else
                {
                    HostingLog.ListeningAsAspNetCoreSays(logger, key, source, value, file);
                }
            }, metricsPort);
        }

        builder.WebHost.ConfigureKestrel(kestrel =>
        {
            kestrel.ListenAnyIP(legacy.Port, listen =>
            {
                if (legacy.Ssl)
                {
                    listen.UseHttps(X509Certificate2.CreateFromPemFile(
                        legacy.CertificatePath ?? throw new InvalidOperationException("lblserver.conf: ssl=on needs ssl_cert"),
                        legacy.KeyPath ?? throw new InvalidOperationException("lblserver.conf: ssl=on needs ssl_key")));
                }
            });
            if (metricsPort is { } port)
            {
                kestrel.ListenAnyIP(port);
            }
        });
        var tls = legacy.Ssl ? "with TLS" : "without TLS";
        return new(logger => HostingLog.LegacyConfigApplied(logger, legacy.Port, tls, exists ? file : $"the defaults (there is no {file})"), metricsPort);
    }

    /// <summary>
    /// Adds the management port (<see cref="MetricsOptions.Port"/>) where <paramref name="key"/> says to listen, in the
    /// form that key takes: ASP.NET Core listens as one key says, and an endpoint made in code would replace what
    /// <c>urls</c> or the port lists say. The port listens on every address, as the port lists do.
    /// </summary>
    private static void AddMetricsPort(ConfigurationManager configuration, string key, int port)
    {
        var number = port.ToString(CultureInfo.InvariantCulture);
        configuration.AddInMemoryCollection([key switch
        {
            "Kestrel:Endpoints" => new("Kestrel:Endpoints:WschatMetrics:Url", $"http://*:{number}"),
            "urls" => new(key, $"{configuration[key]};http://*:{number}"),
            _ => new("http_ports", configuration["http_ports"] is { Length: > 0 } ports ? $"{ports};{number}" : number),
        }]);
    }

    /// <summary>Writes the one line saying which listen settings won and why, and one naming the management port if there is one.</summary>
    public void Log(ILogger logger)
    {
        _log(logger);
        if (_metricsPort is { } port)
        {
            HostingLog.ListeningForMetrics(logger, port);
        }
    }

    private static bool IsSet(IConfigurationSection section) => !string.IsNullOrEmpty(section.Value) || section.GetChildren().Any();

    /// <summary>The provider the value came from (the last one holding it wins), e.g. environment variables prefixed ASPNETCORE_.</summary>
    private static string SourceOf(IConfiguration configuration, string key) =>
        configuration is IConfigurationRoot root
        && root.Providers.LastOrDefault(p => p.TryGet(key, out _) || p.GetChildKeys([], key).Any()) is { } provider
            ? provider.ToString() ?? provider.GetType().Name
            : "configuration";
}
