using System.Net;
using Wschat.Tests.Infrastructure;
namespace Wschat.Tests.Hosting;

/// <summary>
/// What an operator installs: the one-file executable that <c>deploy/publish.sh</c> makes, run without
/// .NET's help, and the systemd unit that runs it.
/// </summary>
public sealed class PackagingTests(PublishedServer server) : IClassFixture<PublishedServer>
{
    private string Executable => Path.Combine(server.Folder, "Wschat.Hub");

    [Fact]
    public async Task The_published_executable_is_one_file_that_serves_raw_and_SignalR_clients_on_its_own()
    {
        Assert.True(File.Exists(Executable));
        Assert.Empty(Directory.GetFiles(server.Folder, "*.dll"));

        await using var node = await HubProcess.StartExecutableAsync(Executable);
        await using var raw = await RawClient.ConnectAsync(node.RawUri);
        await using var signalR = await SignalRClient.ConnectAsync(node.HubUri, HubProtocolKind.Json);
        await ChatClients.JoinAllAsync("packaged", raw, signalR);

        await signalR.SendAsync("danmu", new { text = "一个文件" });
        var danmu = await raw.ReceiveSkippingAsync("danmu");
        Assert.Equal("一个文件", danmu.GetProperty("text").GetString());
    }

    /// <summary>The nginx sample proxies to loopback: a unit listening on every address would let clients around it (and its TLS).</summary>
    [Fact]
    public async Task The_systemd_unit_listens_on_loopback_only_and_believes_the_local_proxy()
    {
        var environment = (await File.ReadAllLinesAsync(Path.Combine(RepositoryPaths.Root, "deploy", "systemd", "wschat.service")))
            .Where(static line => line.StartsWith("Environment=", StringComparison.Ordinal))
            .Select(static line => line["Environment=".Length..].Split('=', 2))
            .ToDictionary(static setting => setting[0], static setting => setting[1]);

        var urls = environment["ASPNETCORE_URLS"].Split(';');
        Assert.All(urls, static url => Assert.True(IPAddress.IsLoopback(IPAddress.Parse(new Uri(url).Host)), $"{url} is not a loopback address"));
        Assert.Equal("127.0.0.1", environment["Wschat__TrustedProxies__0"]);
    }

    [Fact]
    public async Task The_systemd_unit_is_valid_for_systemd_with_the_published_executable_in_place()
    {
        var unit = await File.ReadAllTextAsync(Path.Combine(RepositoryPaths.Root, "deploy", "systemd", "wschat.service"));
        Assert.Contains("Type=notify", unit, StringComparison.Ordinal);
        Assert.Contains("User=wschat", unit, StringComparison.Ordinal);

        // The unit as installed, but pointing at this test's copy of the executable.
        var installed = Path.Combine(TempDirectory.Create(), "wschat.service");
        await File.WriteAllTextAsync(installed, unit.Replace("/opt/wschat", server.Folder, StringComparison.Ordinal));
        await using var verify = ChildProcess.Start("systemd-analyze", ["verify", installed]);
        await verify.WaitForExitAsync(TimeSpan.FromSeconds(30));
        Assert.True(verify.ExitCode == 0 && !verify.Output.Contains(installed, StringComparison.Ordinal), verify.Output);
    }
}

/// <summary>The server as <c>deploy/publish.sh</c> makes it, published once for the tests that use it.</summary>
public sealed class PublishedServer : IAsyncLifetime
{
    private static readonly TimeSpan PublishTimeout = TimeSpan.FromMinutes(10);

    public string Folder { get; } = TempDirectory.Create();

    public async Task InitializeAsync()
    {
        await using var publish = ChildProcess.Start("bash", [Path.Combine(RepositoryPaths.Root, "deploy", "publish.sh"), Folder]);
        await publish.WaitForExitAsync(PublishTimeout);
        Assert.True(publish.ExitCode == 0, publish.Output);
    }

    public Task DisposeAsync() => Task.CompletedTask;
}
