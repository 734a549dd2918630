using System.Globalization;
using Wschat.Tests.Infrastructure;

namespace Wschat.Tests.Hosting;

internal static class LegacyInstall
{
    /// <summary>
    /// Starts a node as a legacy install: no <c>--urls</c>, <paramref name="directory"/>/lblserver.conf holding
    /// <c>port=</c> a free port, then <paramref name="conf"/>. The node listens on every interface, IPv4 and IPv6.
    /// </summary>
    public static async Task<(HubNode Node, int Port)> StartAsync(string directory, string conf, params string[] settings)
    {
        var port = FreePort.Next();
        var path = Path.Combine(directory, "lblserver.conf");
        File.WriteAllText(path, $"port={port.ToString(CultureInfo.InvariantCulture)}\n{conf}");
        var node = await HubNode.StartAsync(urls: null, settings: [$"Wschat:LegacyConfigFile={path}", .. settings]);
        return (node, port);
    }
}
