using System.Globalization;

namespace Wschat.Hub.Hosting;

/// <summary>
/// The original wschat's <c>conf/lblserver.conf</c> (<c>port=</c>, <c>ssl=on|off</c>, <c>ssl_cert=</c>,
/// <c>ssl_key=</c> PEM files), so an existing install starts unchanged. Without the file: port 3000, no TLS.
/// </summary>
internal sealed record LegacyServerConfig(int Port, bool Ssl, string? CertificatePath, string? KeyPath)
{
    public const string ConfigurationKey = "Wschat:LegacyConfigFile";
    public const string DefaultPath = "conf/lblserver.conf";

    public static LegacyServerConfig Default { get; } = new(3000, false, null, null);

    /// <exception cref="InvalidDataException">A value is not one the key takes; the message names the key.</exception>
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
            values.TryGetValue("port", out var port) ? ParsePort(port, path) : Default.Port,
            values.TryGetValue("ssl", out var ssl) && ParseSwitch(ssl, path),
            Resolve(values.GetValueOrDefault("ssl_cert"), baseDirectory),
            Resolve(values.GetValueOrDefault("ssl_key"), baseDirectory));
    }

    private static int ParsePort(string value, string path) =>
        int.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out var port) && port <= ushort.MaxValue
            ? port
            : throw Invalid(path, "port", value, "a port number from 0 to 65535");

    // The original read only "1"; installs written for other servers say on or true, which must not mean off.
    private static bool ParseSwitch(string value, string path) => value.ToUpperInvariant() switch
    {
        "ON" or "TRUE" or "YES" or "1" => true,
        "OFF" or "FALSE" or "NO" or "0" => false,
        _ => throw Invalid(path, "ssl", value, "on/off, true/false, yes/no or 1/0"),
    };

    private static InvalidDataException Invalid(string path, string key, string value, string expected) =>
        new($"{path}: {key}={value} is not valid; {key} takes {expected}.");

    private static string? Resolve(string? file, string baseDirectory) =>
        string.IsNullOrEmpty(file) ? null : Path.GetFullPath(file, baseDirectory);
}
