using System.Globalization;

namespace Wschat.Tests.Infrastructure;

/// <summary>A hub node in its own OS process (for SIGKILL and SIGTERM), on a free loopback port.</summary>
public sealed class HubProcess : IServerEndpoint, IAsyncDisposable
{
    private readonly ChildProcess _process;

    private HubProcess(ChildProcess process, Uri baseUri)
    {
        _process = process;
        BaseUri = baseUri;
    }

    public Uri BaseUri { get; }



    public string Output => _process.Output;

    /// <param name="settings">Configuration as <c>key=value</c>.</param>
    public static Task<HubProcess> StartAsync(params string[] settings) =>
        StartAsync("dotnet", [Path.Combine(AppContext.BaseDirectory, "Wschat.Hub.dll")], settings);

    /// <summary>A published server executable, run as an operator would.</summary>
    public static Task<HubProcess> StartExecutableAsync(string executable, params string[] settings) =>
        StartAsync(executable, [], settings);

    private static async Task<HubProcess> StartAsync(string fileName, string[] leading, string[] settings)
    {
        var baseUri = new Uri($"http://127.0.0.1:{FreePort.Next().ToString(CultureInfo.InvariantCulture)}/");
        var process = ChildProcess.Start(
            fileName,
            [
                .. leading,
                "--urls", baseUri.ToString().TrimEnd('/'),
                "--Logging:LogLevel:Default=Warning",
                .. TestLimits.Settings.Concat(settings).Select(static s => "--" + s),
            ],
            workingDirectory: TempDirectory.Create());
        await ServerEndpoints.WaitHealthyAsync(baseUri, process, TimeSpan.FromSeconds(30));
        return new HubProcess(process, baseUri);
    }

    /// <summary>SIGKILL: the node vanishes without a word.</summary>
    public Task KillAsync() => _process.KillAsync();

    /// <summary>SIGTERM: a graceful shutdown; waits for the process to exit.</summary>
    public async Task TerminateAsync()
    {
        await _process.SignalAsync("TERM");
        await _process.WaitForExitAsync(TimeSpan.FromSeconds(30));
    }

    public async ValueTask DisposeAsync() => await _process.DisposeAsync();
}
