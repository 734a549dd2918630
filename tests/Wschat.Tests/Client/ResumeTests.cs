using System.Globalization;
using System.Threading.Channels;
using StackExchange.Redis;
using Wschat.Client;
using Wschat.Tests.Infrastructure;
using static Wschat.Tests.Client.WschatClientTests;

namespace Wschat.Tests.Client;

/// <summary>
/// The SDK resumes its room after a reconnect: the danmu sent while it was away arrive in order, once,
/// before the live ones (recovered), or the room's latest when it no longer holds them all.
/// Its node stops and starts again on the same address; the sender stays on another node of the cluster.
/// </summary>
public sealed class ResumeTests : IAsyncLifetime
{
    private RedisServer _redis = null!;

    public static TheoryData<WschatTransportKind> Transports => WschatClientTests.Transports;

    public async Task InitializeAsync() => _redis = await RedisServer.StartAsync();

    public async Task DisposeAsync() => await _redis.DisposeAsync();

    [Theory]
    [MemberData(nameof(Transports))]
    public async Task The_danmu_sent_while_the_client_was_away_arrive_in_order_once_before_the_live_ones(WschatTransportKind transport)
    {
        var (resumed, danmu) = await ResumeAfterOutageAsync(transport, away: 3);

        Assert.Equal(["before", "away-1", "away-2", "away-3", "after"], danmu);
        Assert.True(resumed.Recovered);
        Assert.Equal(3, resumed.Replayed);
    }

    [Fact]
    public async Task When_the_history_was_lost_meanwhile_the_epoch_differs_and_the_latest_come_unrecovered()
    {
        var (resumed, danmu) = await ResumeAfterOutageAsync(WschatTransportKind.SignalRMessagePack, away: 3, flushRedis: true);

        Assert.False(resumed.Recovered);
        Assert.Equal(["before", "away-1", "away-2", "away-3", "after"], danmu);
    }

    [Fact]
    public async Task When_the_gap_outgrew_the_history_the_latest_come_unrecovered()
    {
        // Three kept: the last three danmu (events are not kept).
        var (resumed, danmu) = await ResumeAfterOutageAsync(WschatTransportKind.Raw, away: 6, settings: "Wschat:History:Size=3");

        Assert.False(resumed.Recovered);
        Assert.Equal(["before", "away-4", "away-5", "away-6", "after"], danmu);
    }

    private async Task<(RoomResumedEventArgs Resumed, string[] Danmu)> ResumeAfterOutageAsync(WschatTransportKind transport, int away, bool flushRedis = false, params string[] settings)
    {
        string[] cluster = [$"Wschat:Redis={_redis.Configuration}", .. settings];
        var urls = $"http://127.0.0.1:{FreePort.Next().ToString(CultureInfo.InvariantCulture)}";
        var node = await HubNode.StartAsync(urls: urls, settings: cluster);
        await using var other = await HubNode.StartAsync(settings: cluster);
        await using var client = ClientFor(node, transport);
        var danmu = Channel.CreateUnbounded<string>();
        var resumed = new TaskCompletionSource<RoomResumedEventArgs>(TaskCreationOptions.RunContinuationsAsynchronously);
        client.DanmuReceived += (_, m) => danmu.Writer.TryWrite(m.Text);
        await client.ConnectAsync();
        await client.JoinAsync("resume");
        var inbox = Inbox.Of(client);
        await using var sender = await RawClient.ConnectAsync(other.RawUri);
        await sender.JoinAsync("resume");
        await SendAsync(sender, "before");
        Assert.Equal("before", await danmu.Reader.ReadAsync(Timeout()));

        await node.DisposeAsync();
        Assert.Equal(WschatConnectionState.Reconnecting, await inbox.States.Reader.ReadAsync(Timeout()));

        // Only now: while the node was stopping, the client may have rejoined it once before it went.
        client.RoomResumed += (_, e) => resumed.TrySetResult(e);
        if (flushRedis)
        {
            await using var admin = await ConnectionMultiplexer.ConnectAsync($"{_redis.Configuration},allowAdmin=true");
            await admin.GetServer(admin.GetEndPoints()[0]).FlushAllDatabasesAsync();
        }

        for (var i = 1; i <= away; i++)
        {
            await SendAsync(sender, "away-" + i);
        }

        await using var restarted = await HubNode.StartAsync(urls: urls, settings: cluster);
        var resumption = await resumed.Task.WaitAsync(RawClient.Timeout);
        await SendAsync(sender, "after");

        var received = new List<string>();
        while (received.LastOrDefault() != "after")
        {
            received.Add(await danmu.Reader.ReadAsync(Timeout()));
        }

        return (resumption, ["before", .. received]);
    }

    /// <summary>Sends a danmu and waits for its echo: then it is numbered and kept in the room's history.</summary>
    private static async Task SendAsync(RawClient sender, string text)
    {
        await sender.SendAsync(new { type = "danmu", text });
        await sender.ReceiveSkippingAsync("danmu", m => m.GetProperty("text").GetString() == text);
    }
}
