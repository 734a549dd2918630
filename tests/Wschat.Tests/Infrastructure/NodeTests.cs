using System.Diagnostics;

namespace Wschat.Tests.Infrastructure;

/// <summary>Runs a <c>node --test</c> file of tests/js against a hub, and fails with its report when it fails.</summary>
internal static class NodeTests
{
    public static string Directory { get; } = Path.Combine(RepositoryPaths.Root, "tests", "js");

    public static async Task RunAsync(string file, Uri hub, IReadOnlyDictionary<string, string>? environment = null)
    {
        var start = new ProcessStartInfo("node", ["--test", "--test-reporter=spec", file])
        {
            WorkingDirectory = Directory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            Environment = { ["WSCHAT_URL"] = hub.ToString().TrimEnd('/') },
        };
        foreach (var (name, value) in environment ?? new Dictionary<string, string>())
        {
            start.Environment[name] = value;
        }

        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var errors = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(3));
        try
        {
            await process.WaitForExitAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw;
        }

        Assert.True(process.ExitCode == 0, $"node --test {file} failed:\n{await output}\n{await errors}");
    }
}
