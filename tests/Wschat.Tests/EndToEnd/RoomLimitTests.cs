using System.Text.Json;
using Wschat.Tests.Infrastructure;

namespace Wschat.Tests.EndToEnd;

/// <summary>
/// The join bucket (<c>Wschat:Limits:JoinBurst</c> / <c>JoinsPerSecond</c>) and the node's room limit
/// (<c>Wschat:Limits:MaxRooms</c>): past either, the sender gets an error and nothing else happens.
/// </summary>
public sealed class RoomLimitTests
{
    [Fact]
    public async Task Joins_switches_logins_and_logouts_past_the_join_bucket_get_4029_and_reach_no_member()
    {
        await using var node = await HubNode.StartAsync(settings: ["Wschat:Limits:JoinBurst=3", "Wschat:Limits:JoinsPerSecond=1"]);
        var (home, away) = (SingleNodeFixture.NewRoom(), SingleNodeFixture.NewRoom());
        await using var inHome = await RawClient.ConnectAsync(node.RawUri);
        await using var inAway = await RawClient.ConnectAsync(node.RawUri);
        await using var flooder = await RawClient.ConnectAsync(node.RawUri);
        await inAway.JoinAsync(away);
        await ChatClients.JoinAllAsync(home, inHome, flooder);

        // One at a time, each with its outcome, as fast as the server answers; what each member must then see follows from the outcomes.
        var expected = new Dictionary<RawClient, List<string>> { [inHome] = [], [inAway] = [] };
        var (room, loggedIn, refused) = (home, false, 0);
        string[] steps = ["join away", "login", "join home", "logout", "join away", "login", "join home", "logout", "login", "join away"];
        foreach (var step in steps)
        {
            var joining = step.StartsWith("join ", StringComparison.Ordinal) ? (step == "join home" ? home : away) : null;
            if (joining is not null)
            {
                await flooder.SendAsync("join", new { room = joining });
            }
            else
            {
                await flooder.SendAsync(step, step == "login" ? new { uname = "刷屏", avatar = "", loginid = "f1", info = "" } : null);
            }

            var outcome = await OutcomeAsync(flooder, m => joining is null ? m.GetProperty("type").GetString() == step : IsOwnJoin(m, flooder));
            if (outcome.GetProperty("type").GetString() == "error")
            {
                WireAssert.Numbers(outcome, ("code", 4029));
                refused++;
                continue;
            }

            var member = room == home ? inHome : inAway;
            if (joining is not null && joining != room)
            {
                expected[member].Add("leaveroom");
                expected[joining == home ? inHome : inAway].Add("joinroom");
                room = joining;
            }
            else if (step == "login" || (step == "logout" && loggedIn))
            {
                expected[member].Add(step);
            }

            loggedIn = step == "login" || (loggedIn && step != "logout");
        }

        Assert.True(refused >= steps.Length / 2, $"only {refused} of {steps.Length} were refused");

        // Once the flooder's hello is answered, everything it did has reached its rooms; each member's own danmu then comes after.
        await flooder.SendAsync("hello");
        await flooder.ReceiveSkippingAsync("hello");
        foreach (var (member, events) in expected)
        {
            await member.SendAsync("danmu", new { text = "marker" });
            Assert.Equal(events, await EventsOfAsync(member, flooder.Uid));
        }
    }

    [Fact]
    public async Task Past_MaxRooms_a_join_to_a_new_room_gets_4034_and_changes_nothing_while_existing_rooms_take_joins_and_an_emptied_room_frees_its_place()
    {
        await using var node = await HubNode.StartAsync(settings: "Wschat:Limits:MaxRooms=2");
        var (first, second, third) = (SingleNodeFixture.NewRoom(), SingleNodeFixture.NewRoom(), SingleNodeFixture.NewRoom());
        await using var mover = await RawClient.ConnectAsync(node.RawUri);
        await using var stayer = await RawClient.ConnectAsync(node.RawUri);
        await using var inSecond = await RawClient.ConnectAsync(node.RawUri);
        await using var newcomer = await RawClient.ConnectAsync(node.RawUri);
        await ChatClients.JoinAllAsync(first, mover, stayer);
        await inSecond.JoinAsync(second);

        await mover.SendAsync("join", new { room = third });
        var refusal = await mover.ReceiveAsync("error");
        WireAssert.Numbers(refusal, ("code", 4034));
        await newcomer.SendAsync("join", new { room = third });
        WireAssert.Numbers(await newcomer.ReceiveAsync("error"), ("code", 4034));

        // The mover is still in the first room, and nobody heard of it leaving.
        await mover.SendAsync("danmu", new { text = "还在" });
        WireAssert.Chat(await stayer.ReceiveAsync("danmu"), "danmu", "还在", mover);
        WireAssert.Chat(await mover.ReceiveAsync("danmu"), "danmu", "还在", mover);
        await stayer.AssertNothingPendingAsync();

        // An existing room takes a joiner; the second room, emptied, makes room for the third.
        await newcomer.SendAsync("join", new { room = first });
        await WireAssert.EventReachesAsync([mover, stayer, newcomer], "joinroom", newcomer.Uid, usersCount: 3, loginedCount: 0);
        await inSecond.SendAsync("leave");
        await inSecond.ReceiveAsync("event");
        await mover.JoinAsync(third);
    }

    /// <summary>The sender's next error, or the next message that says its request was done.</summary>
    private static async Task<JsonElement> OutcomeAsync(RawClient sender, Func<JsonElement, bool> done)
    {
        while (true)
        {
            var message = await sender.ReceiveAsync();
            if (message.GetProperty("type").GetString() == "error" || done(message))
            {
                return message;
            }
        }
    }

    private static bool IsOwnJoin(JsonElement message, RawClient client) =>
        message.GetProperty("type").GetString() == "event" && message.GetProperty("event").GetString() == "joinroom" && message.GetProperty("uid").GetInt64() == client.Uid;

    /// <summary>The events about <paramref name="uid"/> the member receives before its own danmu "marker".</summary>
    private static async Task<List<string>> EventsOfAsync(RawClient member, long uid)
    {
        var events = new List<string>();
        while (true)
        {
            var message = await member.ReceiveAsync();
            switch (message.GetProperty("type").GetString())
            {
                case "danmu" when message.GetProperty("text").GetString() == "marker":
                    return events;
                case "event" when message.GetProperty("uid").GetInt64() == uid:
                    events.Add(message.GetProperty("event").GetString()!);
                    break;
            }
        }
    }
}
