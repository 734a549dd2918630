using Wschat.Tests.Infrastructure;

namespace Wschat.Tests.Cluster;

/// <summary>Two nodes on one Redis act as one server.</summary>
public sealed class ClusterTests(ClusterFixture cluster) : IClassFixture<ClusterFixture>
{
    private static string NewRoom() => "cluster-" + Guid.NewGuid().ToString("N")[..8];

    [Fact]
    public async Task Counts_and_events_of_a_room_span_both_nodes()
    {
        var room = NewRoom();
        await using var onA = await RawClient.ConnectAsync(cluster.NodeA.RawUri);
        await using var onB = await SignalRClient.ConnectAsync(cluster.NodeB.HubUri, HubProtocolKind.MessagePack);

        await onA.SendAsync(new { type = "join", room });
        Assert.Equal(1, (await onA.ReceiveAsync("event")).GetProperty("userscount").GetInt32());

        await onB.InvokeAsync("join", new { room });
        var seenOnA = await onA.ReceiveAsync("event");
        var seenOnB = await onB.ReceiveAsync("event");
        foreach (var joined in new[] { seenOnA, seenOnB })
        {
            Assert.Equal("joinroom", joined.GetProperty("event").GetString());
            Assert.Equal(onB.Uid, joined.GetProperty("uid").GetInt64());
            Assert.Equal(2, joined.GetProperty("userscount").GetInt32());
        }

        await onB.InvokeAsync("login", new { uname = "跨节点", avatar = "", loginid = "x1", info = "" });
        await onB.ReceiveAsync("login");
        var login = await onA.ReceiveAsync("event");
        Assert.Equal("login", login.GetProperty("event").GetString());
        Assert.Equal(1, login.GetProperty("loginedcount").GetInt32());

        await onB.DisposeAsync();
        var left = await onA.ReceiveAsync("event");
        Assert.Equal("leaveroom", left.GetProperty("event").GetString());
        Assert.Equal(1, left.GetProperty("userscount").GetInt32());
        Assert.Equal(0, left.GetProperty("loginedcount").GetInt32());
    }

    [Fact]
    public async Task Danmu_and_text_flow_both_ways_between_raw_and_SignalR_clients_on_different_nodes()
    {
        var room = NewRoom();
        await using var rawOnA = await RawClient.ConnectAsync(cluster.NodeA.RawUri);
        await using var jsonOnB = await SignalRClient.ConnectAsync(cluster.NodeB.HubUri, HubProtocolKind.Json);
        await rawOnA.SendAsync(new { type = "join", room });
        await rawOnA.ReceiveAsync("event");
        await jsonOnB.InvokeAsync("join", new { room });
        await jsonOnB.ReceiveAsync("event");
        await rawOnA.ReceiveAsync("event");

        await rawOnA.SendAsync(new { type = "danmu", text = "从A来的弹幕🎉" });
        foreach (var danmu in new[] { await rawOnA.ReceiveAsync("danmu"), await jsonOnB.ReceiveAsync("danmu") })
        {
            Assert.Equal("从A来的弹幕🎉", danmu.GetProperty("text").GetString());
            Assert.Equal(rawOnA.Uid.ToString(System.Globalization.CultureInfo.InvariantCulture), danmu.GetProperty("uid").GetString());
        }

        await jsonOnB.InvokeAsync("text", new { text = "B说话" });
        Assert.Equal("B说话", (await rawOnA.ReceiveAsync("text")).GetProperty("text").GetString());
        Assert.Equal("B说话", (await jsonOnB.ReceiveAsync("text")).GetProperty("text").GetString());
    }

    [Fact]
    public async Task Sendto_from_node_A_reaches_a_uid_on_node_B_and_nobody_else()
    {
        await using var sender = await RawClient.ConnectAsync(cluster.NodeA.RawUri);
        await using var addressee = await RawClient.ConnectAsync(cluster.NodeB.RawUri);
        await using var bystander = await RawClient.ConnectAsync(cluster.NodeB.RawUri);

        await sender.SendAsync(new { type = "sendto", text = "悄悄话", touids = addressee.Uid.ToString(System.Globalization.CultureInfo.InvariantCulture) });

        var message = await addressee.ReceiveAsync("sendto");
        Assert.Equal("悄悄话", message.GetProperty("text").GetString());
        await bystander.AssertNothingPendingAsync();
        await sender.AssertNothingPendingAsync();
    }

    [Fact]
    public async Task Userlist_lists_the_logged_in_users_of_every_node()
    {
        var room = NewRoom();
        await using var onA = await RawClient.ConnectAsync(cluster.NodeA.RawUri);
        await using var onB = await RawClient.ConnectAsync(cluster.NodeB.RawUri);
        foreach (var (client, name) in new[] { (onA, "甲"), (onB, "乙") })
        {
            await client.SendAsync(new { type = "join", room });
            await client.SendAsync(new { type = "login", uname = name, avatar = "", loginid = name, info = "" });
            await client.ReceiveSkippingAsync("login");
        }

        await onA.SendAsync(new { type = "userlist" });
        var list = await onA.ReceiveSkippingAsync("userlist");
        Assert.Equal(2, list.GetProperty("count").GetInt32());
        var names = list.GetProperty("users").EnumerateArray().Select(static u => u.GetProperty("username").GetString()!).Order().ToArray();
        Assert.Equal(["乙", "甲"], names);
    }

    [Fact]
    public async Task Uids_are_unique_across_nodes_and_increase_after_a_node_restart()
    {
        var uids = new List<long>();
        for (var i = 0; i < 20; i++)
        {
            await using var onA = await RawClient.ConnectAsync(cluster.NodeA.RawUri);
            await using var onB = await RawClient.ConnectAsync(cluster.NodeB.RawUri);
            uids.Add(onA.Uid);
            uids.Add(onB.Uid);
        }

        await using (var restarted = await HubNode.StartAsync(settings: cluster.Settings))
        {
            await using var late = await RawClient.ConnectAsync(restarted.RawUri);
            Assert.True(late.Uid > uids.Max(), "a restarted node hands out uids above every earlier one");
            uids.Add(late.Uid);
        }

        Assert.Equal(uids.Count, uids.Distinct().Count());
        Assert.All(uids, static uid => Assert.InRange(uid, 1, (1L << 53) - 1));
    }

    [Fact]
    public async Task Two_hundred_clients_joining_one_room_concurrently_across_nodes_are_counted_exactly()
    {
        const int Clients = 200;
        var room = NewRoom();
        var clients = await Task.WhenAll(Enumerable.Range(0, Clients).Select(i =>
            RawClient.ConnectAsync(i % 2 == 0 ? cluster.NodeA.RawUri : cluster.NodeB.RawUri)));
        try
        {
            await Task.WhenAll(clients.Select(c => c.SendAsync(new { type = "join", room })));

            // Each joiner's own joinroom carries the count right after its join: atomic updates make them exactly 1..200.
            var ownCounts = await Task.WhenAll(clients.Select(c => c.ReceiveSkippingAsync("event", e => e.GetProperty("uid").GetInt64() == c.Uid)));
            Assert.Equal(Enumerable.Range(1, Clients), ownCounts.Select(static e => e.GetProperty("userscount").GetInt32()).Order());

            await using var observer = await RawClient.ConnectAsync(cluster.NodeB.RawUri);
            await observer.SendAsync(new { type = "join", room });
            Assert.Equal(Clients + 1, (await observer.ReceiveAsync("event")).GetProperty("userscount").GetInt32());
        }
        finally
        {
            await Task.WhenAll(clients.Select(static c => c.DisposeAsync().AsTask()));
        }
    }

    [Fact]
    public async Task A_word_list_set_on_one_node_filters_on_the_other_and_outlives_restarting_every_node()
    {
        await using var admin = await RawClient.ConnectAsync(new Uri(cluster.NodeA.RawUri, "?access_token=cluster-admin"));
        await admin.SendTextAsync("setbadwords:\r\n集群禁词=已过滤\r\n");
        await admin.AssertNothingPendingAsync();

        await AssertFilteredAsync(cluster.NodeB);

        // Every node replaced by a new one with an empty data directory: the list comes from Redis.
        await using var nodeC = await HubNode.StartAsync(settings: cluster.Settings);
        await using var nodeD = await HubNode.StartAsync(settings: cluster.Settings);
        await AssertFilteredAsync(nodeC);
        await AssertFilteredAsync(nodeD);
    }

    private static async Task AssertFilteredAsync(HubNode node)
    {
        await using var client = await RawClient.ConnectAsync(node.RawUri);
        await client.SendAsync(new { type = "join", room = NewRoom() });
        await client.ReceiveAsync("event");

        // The change travels by pub/sub; it must land within a second.
        await Eventually.GetAsync(
            async () =>
            {
                await client.SendAsync(new { type = "danmu", text = "这是集群禁词" });
                var text = (await client.ReceiveAsync("danmu")).GetProperty("text").GetString();
                return text == "这是已过滤" ? text : null;
            },
            TimeSpan.FromSeconds(1),
            $"the word list applied on {node.BaseUri}");
    }
}
