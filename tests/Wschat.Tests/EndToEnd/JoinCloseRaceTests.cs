using Wschat.Tests.Infrastructure;

namespace Wschat.Tests.EndToEnd;

/// <summary>
/// Clients that log in, join and close at once leave nothing behind: a join still in flight when
/// the connection closes is taken back, on one node and across a cluster, and a client leaving
/// mid-call is no server error.
/// </summary>
public sealed class JoinCloseRaceTests
{
    private const int Races = 200;
    private const int AtOnce = 20;

    [Fact]
    public async Task Two_hundred_join_and_close_races_leave_no_member_and_no_login_on_one_node()
    {
        await using var node = await HubNode.StartAsync();

        await RaceAsync(node, node);
        Assert.Empty(node.LoggedErrors);
    }

    [Fact]
    public async Task Two_hundred_join_and_close_races_leave_no_member_and_no_login_in_a_cluster()
    {
        await using var redis = await RedisServer.StartAsync();
        await using var nodeA = await HubNode.StartAsync(settings: $"Wschat:Redis={redis.Configuration}");
        await using var nodeB = await HubNode.StartAsync(settings: $"Wschat:Redis={redis.Configuration}");

        await RaceAsync(nodeA, nodeB);
        Assert.Empty(nodeA.LoggedErrors);
        Assert.Empty(nodeB.LoggedErrors);
    }

    private static async Task RaceAsync(IServerEndpoint racers, IServerEndpoint newcomers)
    {
        var room = SingleNodeFixture.NewRoom();
        for (var done = 0; done < Races; done += AtOnce)
        {
            await Task.WhenAll(Enumerable.Range(0, AtOnce).Select(_ => JoinAndCloseAsync(racers, room)));
        }

        // Disconnects finish on the server after the sockets closed: a newcomer looks until the
        // room holds it alone (today's ghosts stay forever).
        var joined = await Eventually.GetAsync(
            async () =>
            {
                await using var newcomer = await RawClient.ConnectAsync(newcomers.RawUri);
                await newcomer.SendAsync(new { type = "join", room });
                var own = await newcomer.ReceiveSkippingAsync("event", e => e.GetProperty("uid").GetInt64() == newcomer.Uid);
                return own.GetProperty("userscount").GetInt32() == 1 ? (object?)own : null;
            },
            TimeSpan.FromSeconds(20),
            "the room holding the newcomer alone");
        Assert.Equal(0, ((System.Text.Json.JsonElement)joined).GetProperty("loginedcount").GetInt32());
    }

    private static async Task JoinAndCloseAsync(IServerEndpoint node, string room)
    {
        var client = await RawClient.ConnectAsync(node.RawUri);
        await client.SendAsync(new { type = "login", uname = "过客", avatar = "", loginid = "r", info = "" });
        await client.SendAsync(new { type = "join", room });
        await client.DisposeAsync();
    }
}
