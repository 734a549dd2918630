using System.Diagnostics;
using Wschat.Tests.Infrastructure;

namespace Wschat.Tests.EndToEnd;

/// <summary>Runs tests/js with Node: @microsoft/signalr over JSON and MessagePack next to a raw client.</summary>
public sealed class JavaScriptClientTests
{
    [Fact]
    public async Task JavaScript_SignalR_clients_and_a_raw_client_share_a_room()
    {
        await using var node = await HubNode.StartAsync(settings: "Wschat:AdminTokens:0=js-admin-token");
        var start = new ProcessStartInfo("node", ["--test", "--test-reporter=spec", "interop.test.js"])
        {
            WorkingDirectory = Path.Combine(RepositoryPaths.Root, "tests", "js"),
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            Environment = { ["WSCHAT_URL"] = node.BaseUri.ToString().TrimEnd('/') },
        };
        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var errors = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(2));
        await process.WaitForExitAsync(timeout.Token);
        Assert.True(process.ExitCode == 0, $"node --test failed:\n{await output}\n{await errors}");
    }
}
