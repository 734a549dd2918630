using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Wschat.Hub.Hosting;

namespace Wschat.Tests.Infrastructure;

/// <summary>A real hub node on Kestrel at 127.0.0.1 with a free port, in this process.</summary>
public sealed class HubNode : IServerEndpoint, IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly ErrorLog _errors;

    private HubNode(WebApplication app, ErrorLog errors, Uri baseUri, string dataDirectory)
    {
        _app = app;
        _errors = errors;
        BaseUri = baseUri;
        DataDirectory = dataDirectory;
    }

    public Uri BaseUri { get; }

    public string DataDirectory { get; }

    /// <summary>What the node logged at Error or above: a test of ordinary client behaviour expects none.</summary>
    public IReadOnlyList<string> LoggedErrors => _errors.Entries;

    public IServiceProvider Services => _app.Services;

    /// <param name="dataDirectory">Where the node keeps its files; a new temporary folder by default.</param>
    /// <param name="urls">Addresses to listen on; null: as the legacy lblserver.conf says.</param>
    /// <param name="settings">Configuration as <c>key=value</c> (e.g. <c>Wschat:AdminTokens:0=secret</c>).</param>
    public static async Task<HubNode> StartAsync(string? dataDirectory = null, string? urls = "http://127.0.0.1:0", params string[] settings)
    {
        dataDirectory ??= TempDirectory.Create();
        string[] args =
        [
            .. urls is null ? Array.Empty<string>() : ["--urls", urls],
            $"--Wschat:DataDirectory={dataDirectory}",
            "--Logging:LogLevel:Default=Warning",
            .. TestLimits.Settings.Concat(settings).Select(s => "--" + s),
        ];
        var app = WschatServer.Build(args);
        var errors = new ErrorLog();
        app.Services.GetRequiredService<ILoggerFactory>().AddProvider(errors);
        await app.StartAsync();
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        return new HubNode(app, errors, new Uri(address.Replace("[::]", "127.0.0.1", StringComparison.Ordinal).Replace("0.0.0.0", "127.0.0.1", StringComparison.Ordinal)), dataDirectory);
    }

    public async ValueTask DisposeAsync()
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        await _app.StopAsync(timeout.Token);
        await _app.DisposeAsync();
    }

    private sealed class ErrorLog : ILoggerProvider, ILogger
    {
        private readonly List<string> _entries = [];

        public IReadOnlyList<string> Entries
        {
            get
            {
                lock (_entries)
                {
                    return [.. _entries];
                }
            }
        }

        public ILogger CreateLogger(string categoryName) => this;

        public IDisposable? BeginScope<TState>(TState state)
            where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => logLevel >= LogLevel.Error;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            if (IsEnabled(logLevel))
            {
                lock (_entries)
                {
                    _entries.Add($"{formatter(state, exception)} {exception?.GetType().Name}");
                }
            }
        }

        public void Dispose()
        {
        }
    }
}
