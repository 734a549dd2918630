using System.Globalization;

namespace Wschat.Hub.Hosting;

/// <summary>
/// The original wschat's <c>conf/lblserver.conf</c> (<c>port=</c>, <c>ssl=0|1</c>, <c>ssl_cert=</c>,
/// <c>ssl_key=</c> PEM files), so an existing install starts unchanged. Without the file: port 3000, no TLS.
/// </summary>
internal sealed record LegacyServerConfig(int Port, bool Ssl, string? CertificatePath, string? KeyPath)
{
    public const string ConfigurationKey = "Wschat:LegacyConfigFile";
    public const string DefaultPath = "conf/lblserver.conf";

    public static LegacyServerConfig Default { get; } = new(3000, false, null, null);

    public static LegacyServerConfig Load(string path, string baseDirectory)
    {
        if (!File.Exists(path))
        {
            return Default;
        }

        var values = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        foreach (var line in File.ReadLines(path))
        {
            var trimmed = line.Trim();
            var equals = trimmed.IndexOf('=', StringComparison.Ordinal);
            if (trimmed.StartsWith('#') || equals <= 0)
            {
                continue;
            }

            values[trimmed[..equals].Trim()] = trimmed[(equals + 1)..].Trim();
        }

        return new LegacyServerConfig(
            values.TryGetValue("port", out var port) ? int.Parse(port, NumberStyles.None, CultureInfo.InvariantCulture) : Default.Port,
            values.TryGetValue("ssl", out var ssl) && ssl == "1",
            Resolve(values.GetValueOrDefault("ssl_cert"), baseDirectory),
            Resolve(values.GetValueOrDefault("ssl_key"), baseDirectory));
    }

    private static string? Resolve(string? file, string baseDirectory) =>
        string.IsNullOrEmpty(file) ? null : Path.GetFullPath(file, baseDirectory);
}
