using System.Globalization;
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

    [Theory]
    [InlineData("on", true)]
    [InlineData("ON", true)]
    [InlineData("true", true)]
    [InlineData("Yes", true)]
    [InlineData("1", true)]
    [InlineData("off", false)]
    [InlineData("False", false)]
    [InlineData("no", false)]
    [InlineData("0", false)]
    public void Ssl_is_on_off_true_false_yes_no_or_1_0_in_any_case(string value, bool ssl) =>
        Assert.Equal(ssl, LegacyServerConfig.Load(WriteConf($"ssl={value}\n"), "/").Ssl);

    [Theory]
    [InlineData("ssl=2\n", "ssl=2")]
    [InlineData("ssl=enabled\n", "ssl=enabled")]
    [InlineData("ssl=\n", "ssl=")]
    [InlineData("port=http\n", "port=http")]
    public void Any_other_value_is_refused_with_a_message_naming_the_key(string text, string named) =>
        Assert.Contains(named, Assert.Throws<InvalidDataException>(() => LegacyServerConfig.Load(WriteConf(text), "/")).Message, StringComparison.Ordinal);

    [Fact]
    public async Task A_server_whose_lblserver_conf_has_a_bad_ssl_value_exits_at_start_naming_the_key()
    {
        await using var server = StartLegacyServer("port=3999\nssl=maybe\n");

        await server.WaitForExitAsync(TimeSpan.FromSeconds(30));

        Assert.Equal(1, server.ExitCode);
        Assert.Contains("ssl=maybe", server.Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Without_other_listen_settings_one_line_says_the_server_listens_as_lblserver_conf_says()
    {
        var port = FreePort.Next();
        await using var server = StartLegacyServer($"port={port.ToString(CultureInfo.InvariantCulture)}\n");

        var (level, line) = await TheLineAboutListeningAsync(server, port);

        Assert.Equal("info", level);
        Assert.Contains($"port {port.ToString(CultureInfo.InvariantCulture)}", line, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ASPNETCORE_HTTP_PORTS_as_the_official_container_images_set_it_wins_and_one_warning_says_so()
    {
        var port = FreePort.Next();
        await using var server = StartLegacyServer("port=3999\n", new Dictionary<string, string> { ["ASPNETCORE_HTTP_PORTS"] = port.ToString(CultureInfo.InvariantCulture) });

        var (level, line) = await TheLineAboutListeningAsync(server, port);

        Assert.Equal("warn", level);
        Assert.Contains("http_ports", line, StringComparison.Ordinal);
        Assert.Contains("ASPNETCORE_", line, StringComparison.Ordinal);
    }

    /// <summary>A server process in a folder laid out as a legacy install: conf/lblserver.conf holding <paramref name="conf"/>.</summary>
    private static ChildProcess StartLegacyServer(string conf, IReadOnlyDictionary<string, string>? environment = null)
    {
        var directory = TempDirectory.Create();
        Directory.CreateDirectory(Path.Combine(directory, "conf"));
        File.WriteAllText(Path.Combine(directory, "conf", "lblserver.conf"), conf);
        return ChildProcess.Start(
            "dotnet",
            [Path.Combine(AppContext.BaseDirectory, "Wschat.Hub.dll"), $"--Wschat:DataDirectory={directory}/data"],
            directory,
            environment);
    }

    /// <summary>
    /// Once the server answers on <paramref name="port"/>: the one message of its console log that names
    /// lblserver.conf, and its level (the console writes <c>level: category[id]</c> on the line before).
    /// </summary>
    private static async Task<(string Level, string Line)> TheLineAboutListeningAsync(ChildProcess server, int port)
    {
        await ServerEndpoints.WaitHealthyAsync(new Uri($"http://127.0.0.1:{port.ToString(CultureInfo.InvariantCulture)}/"), server, TimeSpan.FromSeconds(30));
        var lines = server.Output.Split('\n');
        var line = Assert.Single(lines, static line => line.Contains("lblserver.conf", StringComparison.Ordinal));
        return (lines[Array.IndexOf(lines, line) - 1].Split(':')[0], line);
    }

    private static string WriteConf(string text)
    {
        var path = Path.Combine(TempDirectory.Create(), "lblserver.conf");
        File.WriteAllText(path, text);
        return path;
    }
}
