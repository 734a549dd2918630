using System.Net.Sockets;
using System.Text;

namespace Wschat.Tests.Infrastructure;

/// <summary>A real redis-server on a free loopback port, without persistence; stopped on dispose.</summary>
public sealed class RedisServer : IAsyncDisposable
{
    private ChildProcess? _process;

    private RedisServer(int port)
    {
        Port = port;
    }

    public int Port { get; }

    /// <summary>The StackExchange.Redis configuration string for <c>Wschat:Redis</c>.</summary>
    public string Configuration => $"127.0.0.1:{Port}";

    public static async Task<RedisServer> StartAsync()
    {
        var server = new RedisServer(FreePort.Next());
        await server.StartProcessAsync();
        return server;
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
        _process = ChildProcess.Start("redis-server", ["--port", Port.ToString(System.Globalization.CultureInfo.InvariantCulture), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no"]);
        await Eventually.GetAsync(PingAsync, TimeSpan.FromSeconds(15), $"redis-server on port {Port} answering PING ({_process.Output})");
    }

    private async Task<string?> PingAsync()
    {
        using var client = new TcpClient();
        await client.ConnectAsync("127.0.0.1", Port);
        var stream = client.GetStream();
        await stream.WriteAsync("PING\r\n"u8.ToArray());
        var buffer = new byte[16];
        var read = await stream.ReadAsync(buffer);
        var reply = Encoding.ASCII.GetString(buffer, 0, read);
        return reply.StartsWith("+PONG", StringComparison.Ordinal) ? reply : null;
    }
}
