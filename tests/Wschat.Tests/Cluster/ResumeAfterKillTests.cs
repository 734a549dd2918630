using System.Collections.Concurrent;
using System.Diagnostics;
using Wschat.Client;
using Wschat.Contracts;
using Wschat.Tests.Infrastructure;
using Xunit.Abstractions;
using static Wschat.Tests.Client.WschatClientTests;

namespace Wschat.Tests.Cluster;

/// <summary>
/// Measured: an SDK client receiving a stream of danmu has its node killed (SIGKILL) mid-stream,
/// reconnects through the load balancer to the survivor and ends with every danmu, in order, none twice.
/// </summary>
public sealed class ResumeAfterKillTests(ITestOutputHelper output)
{
    private const int Count = 1000;
    private const int PerSecond = 200;

    [Theory]
    [InlineData(WschatTransportKind.Raw)]
    [InlineData(WschatTransportKind.SignalRMessagePack)]
    public async Task A_client_whose_node_is_killed_mid_stream_ends_with_all_1000_danmu_in_order_none_twice(WschatTransportKind transport)
    {
        await using var redis = await RedisServer.StartAsync();
        string[] settings =
        [
            $"Wschat:Redis={redis.Configuration}",
            $"Wschat:History:Size={Count * 2}",
            $"Wschat:Limits:MessagesPerSecond={PerSecond * 2}",
            $"Wschat:Limits:MessageBurst={PerSecond * 2}",
        ];
        await using var nodeA = await HubProcess.StartAsync([.. settings, "Wschat:ServerName=node-a"]);
        await using var nodeB = await HubProcess.StartAsync([.. settings, "Wschat:ServerName=node-b"]);
        // Plain HTTP: the SDK has no way to trust the test proxy's self-signed certificate.
        await using var nginx = await NginxProxy.StartAsync(nodeA.BaseUri, nodeB.BaseUri, tls: false);
        await using var receiver = ClientFor(transport == WschatTransportKind.Raw ? nginx.RawUri : nginx.HubUri, transport);
        var received = new ConcurrentQueue<string>();
        var quarter = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var all = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        receiver.DanmuReceived += (_, danmu) =>
        {
            received.Enqueue(danmu.Text);
            if (danmu.Text == Text(Count / 4))
            {
                quarter.TrySetResult();
            }

            if (danmu.Text == Text(Count - 1))
            {
                all.TrySetResult();
            }
        };
        var resumed = new TaskCompletionSource<RoomResumedEventArgs>(TaskCreationOptions.RunContinuationsAsynchronously);
        receiver.RoomResumed += (_, e) => resumed.TrySetResult(e);

        // What the receiver went through, for a failure's message.
        var clock = Stopwatch.StartNew();
        using var pool = new ThreadPoolWatch();
        var story = new ConcurrentQueue<string>();
        receiver.StateChanged += (_, state) => story.Enqueue($"{clock.ElapsedMilliseconds} ms: {state}, {received.Count} received");
        receiver.RoomResumed += (_, e) => story.Enqueue($"{clock.ElapsedMilliseconds} ms: resumed (recovered={e.Recovered}, {e.Replayed} replayed), {received.Count} received");
        receiver.ErrorReceived += (_, e) => story.Enqueue($"{clock.ElapsedMilliseconds} ms: error {e.Code} {e.Msg}");
        await receiver.ConnectAsync();
        await receiver.JoinAsync("stream");

        // The receiver's node dies; the sender stays on the other one.
        var (doomed, survivor) = (await receiver.HelloAsync()).Server == "node-a" ? (nodeA, nodeB) : (nodeB, nodeA);
        await using var sender = await RawClient.ConnectAsync(survivor.RawUri);
        await sender.JoinAsync("stream");
        var sending = SendPacedAsync(sender);

        await quarter.Task.WaitAsync(RawClient.Timeout);
        var killedAfter = received.Count;
        var killed = Stopwatch.StartNew();
        await doomed.KillAsync();
        var resumption = await resumed.Task.WaitAsync(TimeSpan.FromSeconds(30));
        var resumedIn = killed.Elapsed;
        await sending;
        try
        {
            await all.Task.WaitAsync(TimeSpan.FromSeconds(30));
        }
        catch (TimeoutException)
        {
            output.WriteLine($"{clock.ElapsedMilliseconds} ms: the last danmu has not come; {received.Count} received, the last {received.LastOrDefault()}. Before that:");
            output.WriteLine(string.Join(Environment.NewLine, story));
            output.WriteLine($"The sender's errors: {string.Join(", ", await ErrorsOfAsync(sender))}. This process's thread pool: {pool}");
            throw;
        }

        output.WriteLine($"{transport}: {killedAfter} danmu received before SIGKILL; rejoined through the survivor {resumedIn.TotalMilliseconds:F0} ms after, recovered={resumption.Recovered}, {resumption.Replayed} replayed; {received.Count} received in all");
        Assert.True(resumption.Recovered);
        Assert.Equal(Enumerable.Range(0, Count).Select(Text), received);
    }

    private static async Task<List<string>> ErrorsOfAsync(RawClient client)
    {
        var errors = new List<string>();
        try
        {
            while (true)
            {
                if ((await client.ReceiveAsync(within: TimeSpan.FromMilliseconds(500))).GetProperty("type").GetString() == "error")
                {
                    errors.Add(client.LastText);
                }
            }
        }
        catch (Exception ex) when (ex is TimeoutException or InvalidOperationException)
        {
            return errors;
        }
    }

    private static string Text(int i) => "danmu-" + i.ToString("D4", System.Globalization.CultureInfo.InvariantCulture);

    /// <summary>Sends the stream at <see cref="PerSecond"/>, paced by the clock (a send that falls behind is not waited for).</summary>
    private static async Task SendPacedAsync(RawClient sender)
    {
        var clock = Stopwatch.StartNew();
        for (var i = 0; i < Count; i++)
        {
            var due = TimeSpan.FromSeconds((double)i / PerSecond) - clock.Elapsed;
            if (due > TimeSpan.Zero)
            {
                await Task.Delay(due);
            }

            await sender.SendAsync(new { type = WschatMethods.Danmu, text = Text(i) });
        }
    }
}
