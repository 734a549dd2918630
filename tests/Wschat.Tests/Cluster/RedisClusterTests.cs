using StackExchange.Redis;
using Wschat.Hub.Presence;
using Wschat.Hub.Redis;
using Wschat.Tests.EndToEnd;
using Wschat.Tests.Infrastructure;

namespace Wschat.Tests.Cluster;

/// <summary>Two nodes on a Redis Cluster: every room's keys share one slot, whatever its name holds.</summary>
public sealed class RedisClusterTests(RedisClusterTests.Fixture cluster) : IClassFixture<RedisClusterTests.Fixture>
{
    /// <summary>Names whose braces would split a room across slots, or make two rooms share a tag.</summary>
    public static TheoryData<string> HostileNames => new() { "}", "}直播间", "a}b", "{}", "{x}y", "%7D", "}%", "房间%7D}" };

    public static TheoryData<string> Names => new() { "直播间", "}直播间", "a}b", "{}", "%7D" };

    [Theory]
    [MemberData(nameof(HostileNames))]
    public async Task Every_key_of_a_room_hashes_to_the_slot_of_its_name_alone(string room)
    {
        var keys = new RedisPresenceKeys("wschat:");
        var stem = "wschat:" + RedisRoomName.Of(room);
        await using var redis = await ConnectionMultiplexer.ConnectAsync(cluster.Redis.Configuration);

        var slots = new List<long>();
        foreach (var key in new RedisKey[] { keys.Members(room), keys.Logins(room), stem + ":stream", stem + ":meta" })
        {
            slots.Add((long)await redis.GetDatabase().ExecuteAsync("CLUSTER", "KEYSLOT", key));
        }

        Assert.Single(slots.Distinct());
    }

    [Fact]
    public void Rooms_whose_names_differ_keep_apart_after_escaping()
    {
        string[] names = ["}x", "%7Dx", "%257Dx", "%x", "%25x", "x}", "x%7D", "x%", "x%25"];

        Assert.Equal(names.Length, names.Select(RedisRoomName.Of).Distinct().Count());
    }

    [Theory]
    [MemberData(nameof(Names))]
    public async Task Counts_logins_danmu_and_userlist_span_both_nodes_whatever_the_room_name(string name)
    {
        var room = name + Guid.NewGuid().ToString("N")[..6];
        await using var onA = await RawClient.ConnectAsync(cluster.NodeA.RawUri);
        await using var onB = await ChatClients.ConnectAsync(cluster.NodeB, ClientKind.Json);
        var profile = Profile.Of("集群");

        await onA.JoinAsync(room);
        await onB.SendAsync("join", new { room });
        await WireAssert.EventReachesAsync([onA, onB], "joinroom", onB.Uid, usersCount: 2, loginedCount: 0);
        await onB.LogInAsync(profile, [onA, onB], loginedCount: 1);
        await onA.SendAsync("danmu", new { text = "跨节点弹幕" });
        foreach (var member in new IChatClient[] { onA, onB })
        {
            WireAssert.Chat(await member.ReceiveAsync("danmu"), "danmu", "跨节点弹幕", onA);
        }

        await onA.SendAsync("userlist");
        var users = await onA.ReceiveAsync("userlist");
        WireAssert.Numbers(users, ("count", 1));
        WireAssert.Strings(Assert.Single(users.GetProperty("users").EnumerateArray()), ("uid", onB.UidText), ("username", profile.Uname));
    }

    /// <summary>A one-node Redis Cluster and two hub nodes on it.</summary>
    public sealed class Fixture : IAsyncLifetime
    {
        public RedisServer Redis { get; private set; } = null!;

        public HubNode NodeA { get; private set; } = null!;

        public HubNode NodeB { get; private set; } = null!;

        public async Task InitializeAsync()
        {
            Redis = await RedisServer.StartAsync(cluster: true);
            NodeA = await HubNode.StartAsync(settings: $"Wschat:Redis={Redis.Configuration}");
            NodeB = await HubNode.StartAsync(settings: $"Wschat:Redis={Redis.Configuration}");
        }

        public async Task DisposeAsync()
        {
            await NodeA.DisposeAsync();
            await NodeB.DisposeAsync();
            await Redis.DisposeAsync();
        }
    }
}
