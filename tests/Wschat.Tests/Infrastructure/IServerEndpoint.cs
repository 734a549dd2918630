namespace Wschat.Tests.Infrastructure;

/// <summary>Something tests connect to: a hub node (in this process or its own) or a proxy in front of nodes.</summary>
public interface IServerEndpoint
{
    Uri BaseUri { get; }
}

public static class ServerEndpoints
{
    extension(IServerEndpoint server)
    {
        /// <summary>The raw wschat endpoint: <c>ws://host:port/</c> (<c>wss</c> over TLS).</summary>
        public Uri RawUri => new UriBuilder(server.BaseUri) { Scheme = server.BaseUri.Scheme == "https" ? "wss" : "ws", Path = "/" }.Uri;

        /// <summary>The SignalR hub.</summary>
        public Uri HubUri => new(server.BaseUri, "/hub");
    }

    /// <summary>Waits until a process just started answers <c>/healthz</c> at <paramref name="baseUri"/>.</summary>
    /// <param name="handler">How to reach it (e.g. trusting a test certificate); disposed with the client.</param>
    public static async Task WaitHealthyAsync(Uri baseUri, ChildProcess process, TimeSpan timeout, HttpMessageHandler? handler = null)
    {
        using var http = new HttpClient(handler ?? new HttpClientHandler());
        await Eventually.GetAsync(
            async () => process.HasExited ? throw new InvalidOperationException(process.Output) : await http.GetStringAsync(new Uri(baseUri, "/healthz")),
            timeout,
            $"{baseUri}healthz answering");
    }
}
