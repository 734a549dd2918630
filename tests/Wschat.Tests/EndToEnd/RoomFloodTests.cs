using System.Globalization;
using System.Runtime;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using StackExchange.Redis;
using Wschat.Hub.Redis;
using Wschat.Tests.Infrastructure;
using Xunit.Abstractions;

namespace Wschat.Tests.EndToEnd;

/// <summary>Tests that read the GC heap of this process: they run alone, after every other collection.</summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class HeapMeasurements
{
    public const string Name = "heap measurement";
}

/// <summary>
/// Joining many room names must not cost memory: a room nobody is in and that holds no danmu or text
/// keeps nothing, on the node (its GC heap, measured in this process where the node runs) or in Redis.
/// </summary>
[Collection(HeapMeasurements.Name)]
public sealed class RoomFloodTests(ITestOutputHelper output)
{
    private const int Cycles = 20_000;
    private const int Clients = 4;
    private const int Pipelined = 250;

    // A few MB: what 20,000 rooms kept at a few hundred bytes each would exceed (today's code kept about 4 KB each).
    private const long AllowedGrowth = 4 << 20;

    // The flood joins as fast as the server answers: the join and message buckets are lifted for it.
    private static readonly string[] s_unlimited =
    [
        "Wschat:Limits:JoinBurst=1000000",
        "Wschat:Limits:JoinsPerSecond=1000000",
        "Wschat:Limits:MessageBurst=1000000",
        "Wschat:Limits:MessagesPerSecond=1000000",
    ];

    [Fact]
    public async Task Join_and_leave_over_20000_room_names_leaves_the_heap_where_it_was_on_one_node()
    {
        await using var node = await HubNode.StartAsync(settings: s_unlimited);

        await AssertFloodKeepsNothingAsync(node, "flood-" + Guid.NewGuid().ToString("N")[..8]);
    }

    [Fact]
    public async Task Join_and_leave_over_20000_room_names_leaves_the_heap_where_it_was_and_no_key_in_Redis()
    {
        await using var redis = await RedisServer.StartAsync();
        await using var node = await HubNode.StartAsync(settings: [.. s_unlimited, $"Wschat:Redis={redis.Configuration}"]);
        await using var admin = await ConnectionMultiplexer.ConnectAsync($"{redis.Configuration},allowAdmin=true");
        var server = admin.GetServer(admin.GetEndPoints()[0]);
        var prefix = "flood-" + Guid.NewGuid().ToString("N")[..8];

        var keysBefore = await server.DatabaseSizeAsync();
        await AssertFloodKeepsNothingAsync(node, prefix);

        var left = await server.KeysAsync(pattern: $"*{prefix}*").ToListAsync();
        var listening = await server.SubscriptionChannelsAsync(RedisChannel.Pattern($"*{prefix}*"));
        output.WriteLine($"Redis keys: {keysBefore} before, {await server.DatabaseSizeAsync()} after; {left.Count} of the flooded rooms; {listening.Length} of their channels subscribed");
        Assert.Empty(left);
        Assert.Equal(keysBefore, await server.DatabaseSizeAsync());
        Assert.Empty(listening);
    }

    [Fact]
    public async Task Join_and_leave_over_20000_room_names_leaves_the_heap_where_it_was_while_Redis_is_down()
    {
        await using var redis = await RedisServer.StartAsync();
        await using var node = await HubNode.StartAsync(settings: [.. s_unlimited, $"Wschat:Redis={redis.Configuration}"]);
        await redis.StopAsync();
        var connection = node.Services.GetRequiredService<RedisConnection>();
        await Eventually.GetAsync(() => Task.FromResult(connection.IsConnected ? null : "down"), TimeSpan.FromSeconds(30), "the node seeing Redis down");

        await AssertFloodKeepsNothingAsync(node, "flood-" + Guid.NewGuid().ToString("N")[..8]);
    }

    /// <summary>Warms up with rooms of its own, then floods <see cref="Cycles"/> more and compares the settled heap.</summary>
    private async Task AssertFloodKeepsNothingAsync(HubNode node, string prefix)
    {
        var clients = await Task.WhenAll(Enumerable.Range(0, Clients).Select(_ => RawClient.ConnectAsync(node.RawUri)));
        try
        {
            await FloodAsync(clients, prefix + "-warm", Cycles / 4);
            var before = SettledHeap();

            await FloodAsync(clients, prefix, Cycles);

            // Unsubscribing from a room's channel finishes after the leave's reply: the heap settles shortly after.
            var after = SettledHeap();
            for (var tries = 0; after - before > AllowedGrowth && tries < 20; tries++)
            {
                await Task.Delay(250);
                after = SettledHeap();
            }

            output.WriteLine($"GC heap after {Cycles} join/leave cycles: {Mb(before)} before, {Mb(after)} after ({Mb(after - before)})");
            Assert.True(after - before <= AllowedGrowth, $"the heap grew by {Mb(after - before)} over {Cycles} join/leave cycles");
        }
        finally
        {
            foreach (var client in clients)
            {
                await client.DisposeAsync();
            }
        }
    }

    /// <summary>
    /// Each client joins and leaves its share of distinct rooms, <see cref="Pipelined"/> cycles at a time. Each
    /// leave is answered with the leaver's own leaveroom (an error instead would fail the count); its joinroom,
    /// sent to the room, may find it gone already.
    /// </summary>
    private static async Task FloodAsync(RawClient[] clients, string prefix, int cycles)
    {
        var events = await Task.WhenAll(clients.Select(async (client, c) =>
        {
            var received = 0;
            for (var first = c; first < cycles; first += Clients * Pipelined)
            {
                for (var i = first; i < Math.Min(cycles, first + (Clients * Pipelined)); i += Clients)
                {
                    await client.SendAsync("join", new { room = $"{prefix}-{i.ToString(CultureInfo.InvariantCulture)}" });
                    await client.SendAsync("leave");
                }

                // Invocations of one connection run in order: once hello is answered, every cycle before it is done.
                await client.SendAsync("hello");
                JsonElement message;
                while ((message = await client.ReceiveAsync()).GetProperty("type").GetString() != "hello")
                {
                    received += message.TryGetProperty("event", out var name) && name.GetString() == "leaveroom" ? 1 : 0;
                }
            }

            return received;
        }));
        Assert.Equal(cycles, events.Sum());
    }

    private static long SettledHeap()
    {
        GCSettings.LargeObjectHeapCompactionMode = GCLargeObjectHeapCompactionMode.CompactOnce;
        GC.Collect(GC.MaxGeneration, GCCollectionMode.Forced, blocking: true, compacting: true);
        GC.WaitForPendingFinalizers();
        return GC.GetTotalMemory(forceFullCollection: true);
    }

    private static string Mb(long bytes) => (bytes / (1024.0 * 1024.0)).ToString("F1", CultureInfo.InvariantCulture) + " MB";
}
