using System.Security.Cryptography.X509Certificates;

namespace Wschat.Hub.Hosting;

/// <summary>
/// Where the server listens: as ASP.NET Core's own settings say when any is given (<c>--urls</c>,
/// <c>ASPNETCORE_URLS</c>, <c>ASPNETCORE_HTTP_PORTS</c> as the official container images set it,
/// <c>Kestrel:Endpoints</c>), else as the legacy <c>conf/lblserver.conf</c> says. Either way one log
/// line says which won and why, so a conf file is never ignored silently; its values are checked even then.
/// </summary>
internal sealed class ListenChoice
{
    // In the order ASP.NET Core lets them override one another: endpoints, then urls, then port lists.
    private static readonly string[] s_aspNetCoreKeys = ["Kestrel:Endpoints", "urls", "http_ports", "https_ports"];

    private readonly Action<ILogger> _log;

    private ListenChoice(Action<ILogger> log)
    {
        _log = log;
    }

    /// <exception cref="InvalidDataException">lblserver.conf holds a value its key does not take.</exception>
    public static ListenChoice Apply(WebApplicationBuilder builder)
    {
        var configuration = builder.Configuration;
        var root = builder.Environment.ContentRootPath;
        var file = Path.GetFullPath(configuration[LegacyServerConfig.ConfigurationKey] ?? LegacyServerConfig.DefaultPath, root);
        var legacy = LegacyServerConfig.Load(file, root);
        var exists = File.Exists(file);

        if (s_aspNetCoreKeys.FirstOrDefault(key => IsSet(configuration.GetSection(key))) is { } key)
        {
            var section = configuration.GetSection(key);
            var value = section.Value ?? string.Join(", ", section.GetChildren().Select(static c => c.Key));
            var source = SourceOf(configuration, key);
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
            });
        }

        builder.WebHost.ConfigureKestrel(kestrel => kestrel.ListenAnyIP(legacy.Port, listen =>
        {
            if (legacy.Ssl)
            {
                listen.UseHttps(X509Certificate2.CreateFromPemFile(
                    legacy.CertificatePath ?? throw new InvalidOperationException("lblserver.conf: ssl=on needs ssl_cert"),
                    legacy.KeyPath ?? throw new InvalidOperationException("lblserver.conf: ssl=on needs ssl_key")));
            }
        }));
        var tls = legacy.Ssl ? "with TLS" : "without TLS";
        return new(logger => HostingLog.LegacyConfigApplied(logger, legacy.Port, tls, exists ? file : $"the defaults (there is no {file})"));
    }

    /// <summary>Writes the one line saying which listen settings won and why.</summary>
    public void Log(ILogger logger) => _log(logger);

    private static bool IsSet(IConfigurationSection section) => !string.IsNullOrEmpty(section.Value) || section.GetChildren().Any();

    /// <summary>The provider the value came from (the last one holding it wins), e.g. environment variables prefixed ASPNETCORE_.</summary>
    private static string SourceOf(IConfiguration configuration, string key) =>
        configuration is IConfigurationRoot root
        && root.Providers.LastOrDefault(p => p.TryGet(key, out _) || p.GetChildKeys([], key).Any()) is { } provider
            ? provider.ToString() ?? provider.GetType().Name
            : "configuration";
}
