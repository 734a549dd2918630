using System.Net.Sockets;
using System.Text;

namespace Wschat.Tests.Infrastructure;

/// <summary>A real redis-server on a free loopback port, without persistence; stopped on dispose.</summary>
public sealed class RedisServer : IAsyncDisposable
{
    private const string Exited = "exited";

    private readonly bool _cluster;
    private ChildProcess? _process;

    private RedisServer(int port, bool cluster)
    {
        Port = port;
        _cluster = cluster;
    }

    public int Port { get; }

    /// <summary>The StackExchange.Redis configuration string for <c>Wschat:Redis</c>.</summary>
    public string Configuration => $"127.0.0.1:{Port}";

    /// <param name="cluster">
    /// A Redis Cluster of one node holding every slot: commands and scripts are checked as on any
    /// cluster (a script's keys must share a slot), and clients connect in cluster mode.
    /// </param>
    public static async Task<RedisServer> StartAsync(bool cluster = false)
    {
        // The port was free a moment ago; another program may bind it first. A server that exits then gets another port.
        for (var attempt = 1; ; attempt++)
        {
            var server = new RedisServer(FreePort.Next(), cluster);
            try
            {
                await server.StartProcessAsync();
                return server;
            }
            catch (ServerExitedException) when (attempt < 3)
            {
            }
        }
    }

    /// <summary>Stops the server abruptly; its data is gone.</summary>
    public async Task StopAsync()
    {
        if (_process is not null)
        {
            await _process.DisposeAsync();
            _process = null;
        }
    }

    /// <summary>Starts a fresh server on the same port.</summary>
    public Task RestartAsync() => StartProcessAsync();

    public async ValueTask DisposeAsync() => await StopAsync();

    private async Task StartProcessAsync()
    {
        string[] cluster = _cluster
            ? ["--cluster-enabled", "yes", "--cluster-config-file", Path.Combine(TempDirectory.Create(), "nodes.conf"), "--cluster-announce-ip", "127.0.0.1"]
            : [];
        var process = _process = ChildProcess.Start("redis-server", ["--port", Port.ToString(System.Globalization.CultureInfo.InvariantCulture), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no", .. cluster]);
        string answer;
        try
        {
            answer = await Eventually.GetAsync(async () => process.HasExited ? Exited : await PingAsync(), TimeSpan.FromSeconds(15), $"redis-server on port {Port} answering PING");
        }
        catch (TimeoutException timeout)
        {
            throw new TimeoutException($"{timeout.Message}; it wrote: {process.Output}", timeout.InnerException);
        }

        if (ReferenceEquals(answer, Exited))
        {
            await StopAsync();
            throw new ServerExitedException($"redis-server on port {Port} exited at start; it wrote: {process.Output}");
        }

        if (_cluster)
        {
            await SendAsync("CLUSTER ADDSLOTSRANGE 0 16383");
            await Eventually.GetAsync(
                async () => (await SendAsync("CLUSTER INFO")).Contains("cluster_state:ok", StringComparison.Ordinal) ? "ok" : null,
                TimeSpan.FromSeconds(15),
                $"the one-node cluster on port {Port} serving every slot");
        }
    }

    private async Task<string?> PingAsync()
    {
        var reply = await SendAsync("PING");
        return reply.StartsWith("+PONG", StringComparison.Ordinal) ? reply : null;
    }

    /// <summary>One inline command on a connection of its own; the start of the reply, as text.</summary>
    private async Task<string> SendAsync(string command)
    {
        using var client = new TcpClient();
        await client.ConnectAsync("127.0.0.1", Port);
        var stream = client.GetStream();
        await stream.WriteAsync(Encoding.ASCII.GetBytes(command + "\r\n"));
        var buffer = new byte[4096];
        var read = await stream.ReadAsync(buffer);
        return Encoding.ASCII.GetString(buffer, 0, read);
    }

    private sealed class ServerExitedException(string message) : Exception(message);
}
