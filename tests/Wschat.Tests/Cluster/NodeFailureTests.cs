using System.Diagnostics;
using System.Net.WebSockets;
using Wschat.Tests.Infrastructure;
using Xunit.Abstractions;

namespace Wschat.Tests.Cluster;

/// <summary>Nodes in their own processes die or stop; the survivors' rooms stay right.</summary>
public sealed class NodeFailureTests(ITestOutputHelper output) : IAsyncLifetime
{
    private RedisServer _redis = null!;

    public async Task InitializeAsync() => _redis = await RedisServer.StartAsync();

    public async Task DisposeAsync() => await _redis.DisposeAsync();

    [Fact]
    public async Task A_killed_node_leaves_no_ghosts_in_the_rooms_of_the_survivors_within_10_seconds()
    {
        await using var survivor = await HubProcess.StartAsync($"Wschat:Redis={_redis.Configuration}");
        await using var doomed = await HubProcess.StartAsync($"Wschat:Redis={_redis.Configuration}");
        await using var watcher = await RawClient.ConnectAsync(survivor.RawUri);
        await using var ghost = await RawClient.ConnectAsync(doomed.RawUri);
        await watcher.SendAsync(new { type = "join", room = "kill" });
        await watcher.ReceiveAsync("event");
        await ghost.SendAsync(new { type = "login", uname = "幽灵", avatar = "", loginid = "g", info = "" });
        await ghost.ReceiveAsync("login");
        await ghost.SendAsync(new { type = "join", room = "kill" });
        Assert.Equal(1, (await watcher.ReceiveAsync("event")).GetProperty("loginedcount").GetInt32());

        var killed = Stopwatch.StartNew();
        await doomed.KillAsync();
        var left = await watcher.ReceiveAsync("event", TimeSpan.FromSeconds(10));
        output.WriteLine($"ghost removed {killed.Elapsed.TotalSeconds:F1} s after SIGKILL");

        Assert.Equal("leaveroom", left.GetProperty("event").GetString());
        Assert.Equal(ghost.Uid, left.GetProperty("uid").GetInt64());
        Assert.Equal(1, left.GetProperty("userscount").GetInt32());
        Assert.Equal(0, left.GetProperty("loginedcount").GetInt32());
        await watcher.SendAsync(new { type = "userlist" });
        Assert.Equal(0, (await watcher.ReceiveAsync("userlist")).GetProperty("count").GetInt32());
    }

    [Fact]
    public async Task A_terminated_node_closes_its_clients_normally_and_its_members_leave_at_once()
    {
        await using var survivor = await HubProcess.StartAsync($"Wschat:Redis={_redis.Configuration}");
        await using var stopping = await HubProcess.StartAsync($"Wschat:Redis={_redis.Configuration}");
        await using var watcher = await RawClient.ConnectAsync(survivor.RawUri);
        await using var leaving = await RawClient.ConnectAsync(stopping.RawUri);
        await watcher.SendAsync(new { type = "join", room = "term" });
        await watcher.ReceiveAsync("event");
        await leaving.SendAsync(new { type = "join", room = "term" });
        await watcher.ReceiveAsync("event");
        await leaving.ReceiveAsync("event");

        await stopping.TerminateAsync();

        await leaving.WaitClosedAsync();
        Assert.Equal(WebSocketCloseStatus.NormalClosure, leaving.CloseStatus);

        // Well inside the presence lease: the node said goodbye instead of timing out.
        var left = await watcher.ReceiveAsync("event", TimeSpan.FromSeconds(5));
        Assert.Equal("leaveroom", left.GetProperty("event").GetString());
        Assert.Equal(1, left.GetProperty("userscount").GetInt32());
    }
}
