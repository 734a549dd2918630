using Wschat.Hub.Presence;
using Wschat.Tests.Infrastructure;
using Xunit.Abstractions;

namespace Wschat.Tests.Presence;

/// <summary>
/// What every <see cref="IPresenceStore"/> does. Two nodes are two stores of one cluster: what a member does
/// through either is what both answer (in memory both are the one store of a single node). A member's login
/// and leave go through the node it joined through, as a hub's connection's do: by design a cluster node mirrors
/// only its own members (to answer for them while Redis is away and to write them back after), so these tests
/// never change a member through another node.
/// </summary>
public abstract class PresenceStoreSpecification(ITestOutputHelper output) : BackendSpecification(output)
{
    private static readonly UserLogin Alice = new("爱丽丝😀", "https://example.com/a.png", "site-alice", "{\"vip\":true}", 1_700_000_000) { Verified = true };
    private static readonly UserLogin Bob = new("bob", "", "bob", "", 1_700_000_001);

    /// <summary>A new node of the test's cluster.</summary>
    private protected abstract Task<IPresenceStore> CreateNodeAsync();

    private async Task<(IPresenceStore A, IPresenceStore B)> TwoNodesAsync() => (await CreateNodeAsync(), await CreateNodeAsync());

    private static RoomMember Member(long uid, UserLogin? login = null) => new(uid, $"10.0.0.{uid}", login);

    private static Task<RoomCounts> JoinAsync(IPresenceStore node, string room, long uid, UserLogin? login = null) =>
        node.JoinAsync(room, Member(uid, login), None).DefaultTimeout();

    private static Task<RoomCounts> CountsAsync(IPresenceStore node, string room) => node.GetCountsAsync(room, None).DefaultTimeout();

    private static Task<RoomMember?> FindAsync(IPresenceStore node, string room, long uid) => node.FindMemberAsync(room, uid, None).DefaultTimeout();

    private static async Task<string[]> ListedAsync(IPresenceStore node, string after = "", int limit = 100) =>
        [.. (await node.ListRoomsAsync(after, limit, None).DefaultTimeout()).Select(static r => r.Room)];

    [Fact]
    public async Task A_room_nobody_joined_counts_nobody_has_no_members_and_is_not_listed()
    {
        var (a, _) = await TwoNodesAsync();
        await JoinAsync(a, "another room", 1, Alice);

        Assert.Equal(default, await CountsAsync(a, "room"));
        Assert.Null(await FindAsync(a, "room", 1));
        var users = await a.GetLoggedInUsersAsync("room", 10, None).DefaultTimeout();
        Assert.Empty(users.Users);
        Assert.Equal(0, users.Count);
        Assert.Equal(["another room"], await ListedAsync(a));
    }

    [Fact]
    public async Task Each_join_answers_the_rooms_counts_including_the_member_whichever_node_the_others_joined_through()
    {
        var (a, b) = await TwoNodesAsync();

        Assert.Equal(new RoomCounts(1, 0), await JoinAsync(a, "room", 1));
        Assert.Equal(new RoomCounts(2, 1), await JoinAsync(b, "room", 2, Alice));
        Assert.Equal(new RoomCounts(3, 2), await JoinAsync(a, "room", 3, Bob));

        Assert.Equal(new RoomCounts(3, 2), await CountsAsync(a, "room"));
        Assert.Equal(new RoomCounts(3, 2), await CountsAsync(b, "room"));
    }

    [Fact]
    public async Task A_member_who_joins_again_is_counted_once_as_it_joined_last()
    {
        var (a, b) = await TwoNodesAsync();
        await JoinAsync(a, "room", 1);

        Assert.Equal(new RoomCounts(1, 1), await JoinAsync(a, "room", 1, Alice));
        Assert.Equal(Member(1, Alice), await FindAsync(b, "room", 1));
        Assert.Equal(new RoomCounts(1, 0), await a.JoinAsync("room", new RoomMember(1, "10.9.9.9", null), None).DefaultTimeout());
        Assert.Equal(new RoomMember(1, "10.9.9.9", null), await FindAsync(b, "room", 1));
    }

    [Fact]
    public async Task A_leave_answers_the_counts_without_the_member_and_a_leave_of_a_uid_not_in_the_room_changes_nothing()
    {
        var (a, b) = await TwoNodesAsync();
        await JoinAsync(a, "room", 1, Alice);
        await JoinAsync(b, "room", 2);

        Assert.Equal(new RoomCounts(2, 1), await a.LeaveAsync("room", 3, None).DefaultTimeout());
        Assert.Equal(new RoomCounts(1, 0), await a.LeaveAsync("room", 1, None).DefaultTimeout());
        Assert.Equal(new RoomCounts(1, 0), await a.LeaveAsync("room", 1, None).DefaultTimeout());

        Assert.Null(await FindAsync(b, "room", 1));
        Assert.Equal(new RoomCounts(1, 0), await CountsAsync(b, "room"));
        Assert.Equal(default, await b.LeaveAsync("room", 2, None).DefaultTimeout());
        Assert.Equal(default, await a.LeaveAsync("a room nobody joined", 2, None).DefaultTimeout());
    }

    [Fact]
    public async Task Logging_in_and_out_changes_the_logged_in_count_and_the_member_as_every_node_finds_it()
    {
        var (a, b) = await TwoNodesAsync();
        await JoinAsync(a, "room", 1);
        await JoinAsync(b, "room", 2, Bob);

        Assert.Equal(new RoomCounts(2, 2), await a.SetLoginAsync("room", 1, Alice, None).DefaultTimeout());
        Assert.Equal(Member(1, Alice), await FindAsync(b, "room", 1));

        Assert.Equal(new RoomCounts(2, 1), await a.SetLoginAsync("room", 1, null, None).DefaultTimeout());
        Assert.Equal(Member(1), await FindAsync(b, "room", 1));
        Assert.Equal(new RoomCounts(2, 1), await CountsAsync(b, "room"));
    }

    [Fact]
    public async Task Setting_the_login_of_a_uid_not_in_the_room_changes_nothing_and_answers_the_rooms_counts()
    {
        var (a, b) = await TwoNodesAsync();
        await JoinAsync(b, "room", 2);

        Assert.Equal(new RoomCounts(1, 0), await a.SetLoginAsync("room", 1, Alice, None).DefaultTimeout());

        Assert.Null(await FindAsync(a, "room", 1));
        Assert.Equal(new RoomCounts(1, 0), await CountsAsync(b, "room"));
        Assert.Equal(default, await a.SetLoginAsync("a room nobody joined", 1, Alice, None).DefaultTimeout());
    }

    [Fact]
    public async Task A_member_is_found_with_its_address_and_its_whole_login_including_whether_it_was_verified()
    {
        var (a, b) = await TwoNodesAsync();
        await JoinAsync(a, "room", 1, Alice);
        await JoinAsync(a, "room", 2, Bob);

        var alice = Assert.IsType<RoomMember>(await FindAsync(b, "room", 1));
        Assert.Equal(Member(1, Alice), alice);
        Assert.True(alice.Login!.Verified);
        Assert.False((await FindAsync(b, "room", 2))!.Login!.Verified);
    }

    [Fact]
    public async Task The_logged_in_users_are_capped_by_the_limit_and_counted_in_full()
    {
        var (a, b) = await TwoNodesAsync();
        await JoinAsync(a, "room", 1, Alice);
        await JoinAsync(b, "room", 2);
        await JoinAsync(b, "room", 3, Bob);
        await JoinAsync(a, "room", 4, Bob with { UserId = "bob2" });
        await JoinAsync(a, "room", 5);
        long[] loggedIn = [1, 3, 4];

        var capped = await b.GetLoggedInUsersAsync("room", 2, None).DefaultTimeout();
        Assert.Equal(3, capped.Count);
        Assert.Equal(2, capped.Users.Count);
        Assert.Subset(loggedIn.ToHashSet(), capped.Users.Select(static u => u.Uid).ToHashSet());

        var all = await a.GetLoggedInUsersAsync("room", 10, None).DefaultTimeout();
        Assert.Equal(3, all.Count);
        Assert.Equal(loggedIn, all.Users.Select(static u => u.Uid).Order());
        Assert.Equal(Member(1, Alice), all.Users.Single(static u => u.Uid == 1));
    }

    [Fact]
    public async Task Rooms_with_members_are_listed_in_name_order_a_page_at_a_time_with_their_counts()
    {
        var (a, b) = await TwoNodesAsync();
        await JoinAsync(a, "room c", 1);
        await JoinAsync(b, "room a", 2, Alice);
        await JoinAsync(a, "room b", 3);
        await JoinAsync(b, "room b", 4, Bob);

        var first = await b.ListRoomsAsync("", 2, None).DefaultTimeout();
        Assert.Equal([new RoomSummary("room a", new(1, 1)), new RoomSummary("room b", new(2, 1))], first);
        Assert.Equal([new RoomSummary("room c", new(1, 0))], await a.ListRoomsAsync("room b", 2, None).DefaultTimeout());
        Assert.Empty(await a.ListRoomsAsync("room c", 2, None).DefaultTimeout());
        Assert.Equal(["room b", "room c"], await ListedAsync(a, after: "room a0"));
    }

    /// <summary>
    /// Name order is the order of the names' Unicode code points (that of their UTF-8 bytes, as Redis sorts), not
    /// of their UTF-16 code units: those differ for a name beyond U+FFFF (an emoji) beside one in U+E000-U+FFFF
    /// (full-width punctuation, common in Chinese names).
    /// </summary>
    [Fact]
    public async Task Rooms_are_listed_in_the_order_of_their_names_code_points()
    {
        var (a, b) = await TwoNodesAsync();
        string[] names = ["直播间😀", "直播间！", "直播间z", "直播间"];
        for (var i = 0; i < names.Length; i++)
        {
            await JoinAsync(i % 2 == 0 ? a : b, names[i], i + 1);
        }

        Assert.Equal(["直播间", "直播间z", "直播间！", "直播间😀"], await ListedAsync(a));
        Assert.Equal(["直播间😀"], await ListedAsync(b, after: "直播间！"));
        Assert.Equal(["直播间！"], await ListedAsync(b, after: "直播间z", limit: 1));
    }

    [Fact]
    public async Task A_room_is_listed_only_while_it_has_members()
    {
        var (a, b) = await TwoNodesAsync();
        await JoinAsync(a, "room a", 1);
        await JoinAsync(b, "room b", 2);
        await JoinAsync(a, "room b", 3);

        await b.LeaveAsync("room b", 2, None).DefaultTimeout();
        await a.LeaveAsync("room a", 1, None).DefaultTimeout();
        Assert.Equal(["room b"], await ListedAsync(b));

        await a.LeaveAsync("room b", 3, None).DefaultTimeout();
        Assert.Empty(await ListedAsync(b));

        await JoinAsync(b, "room a", 1);
        Assert.Equal(["room a"], await ListedAsync(a));
    }

    [Fact]
    public async Task A_connected_uid_is_found_from_every_node_until_it_disconnects()
    {
        var (a, b) = await TwoNodesAsync();
        await a.ConnectAsync(1, None).DefaultTimeout();
        await b.ConnectAsync(2, None).DefaultTimeout();
        await a.ConnectAsync(3, None).DefaultTimeout();

        Assert.Equal([3, 1, 2], await b.FindConnectedAsync([3, 4, 1, 2], None).DefaultTimeout());

        await a.DisconnectAsync(1, None).DefaultTimeout();
        await b.DisconnectAsync(2, None).DefaultTimeout();
        await a.DisconnectAsync(5, None).DefaultTimeout();
        Assert.Equal([3], await b.FindConnectedAsync([1, 2, 3], None).DefaultTimeout());
        Assert.Empty(await a.FindConnectedAsync([], None).DefaultTimeout());
    }

    [Fact]
    public async Task Concurrent_joins_logins_and_leaves_through_two_nodes_leave_exact_counts()
    {
        const int Members = 60;
        var (a, b) = await TwoNodesAsync();
        var nodes = new[] { a, b };

        // Members join through either node, half of them logged in; then every third logs out and every fifth leaves.
        await Task.WhenAll(Enumerable.Range(1, Members).Select(uid => Task.Run(() => JoinAsync(nodes[uid % 2], "room", uid, uid % 4 < 2 ? Alice : null))));
        await Task.WhenAll(Enumerable.Range(1, Members).Select(uid => Task.Run(async () =>
        {
            var node = nodes[uid % 2];
            if (uid % 3 == 0)
            {
                await node.SetLoginAsync("room", uid, null, None).DefaultTimeout();
            }

            if (uid % 5 == 0)
            {
                await node.LeaveAsync("room", uid, None).DefaultTimeout();
            }
        })));

        var stayed = Enumerable.Range(1, Members).Where(static uid => uid % 5 != 0).ToArray();
        var expected = new RoomCounts(stayed.Length, stayed.Count(static uid => uid % 4 < 2 && uid % 3 != 0));
        Assert.Equal(expected, await CountsAsync(a, "room"));
        Assert.Equal(expected, await CountsAsync(b, "room"));
        Assert.Equal(expected.LoginedCount, (await a.GetLoggedInUsersAsync("room", Members, None).DefaultTimeout()).Users.Count);
    }
}
