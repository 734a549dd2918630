using Wschat.Hub.Hosting;
using Wschat.Tests.Infrastructure;

namespace Wschat.Tests.Hosting;

/// <summary>conf/lblserver.conf as the original wschat reads it. (Port 3000 itself is never bound here: a test must not take a well-known port.)</summary>
public sealed class LegacyConfigTests
{
    [Fact]
    public void Without_a_conf_file_the_server_listens_on_port_3000_without_TLS() =>
        Assert.Equal(new LegacyServerConfig(3000, false, null, null), LegacyServerConfig.Load(Path.Combine(TempDirectory.Create(), "missing.conf"), "/"));

    [Fact]
    public void The_conf_file_gives_port_TLS_and_PEM_paths_relative_to_the_base_directory()
    {
        var config = LegacyServerConfig.Load(
            WriteConf("# legacy wschat\nport = 3443\nssl=1\nssl_cert=conf/full.pem\nssl_key=/etc/key.pem\nunknown=kept out\n"),
            "/srv/wschat");

        Assert.Equal(new LegacyServerConfig(3443, true, "/srv/wschat/conf/full.pem", "/etc/key.pem"), config);
    }

    [Theory]
    [InlineData("# port=4000\n#ssl=1\n", 3000, false)]
    [InlineData("ssl=0\r\nport=3001\r\n", 3001, false)]
    [InlineData("  # indented comment\n\nssl=1\nno equals sign\n=orphan value\n", 3000, true)]
    public void Comments_blank_and_malformed_lines_are_ignored_and_missing_keys_keep_their_defaults(string text, int port, bool ssl)
    {
        var config = LegacyServerConfig.Load(WriteConf(text), "/srv/wschat");

        Assert.Equal(new LegacyServerConfig(port, ssl, null, null), config);
    }

    private static string WriteConf(string text)
    {
        var path = Path.Combine(TempDirectory.Create(), "lblserver.conf");
        File.WriteAllText(path, text);
        return path;
    }
}
