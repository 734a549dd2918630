using System.Net;
using Microsoft.Extensions.Time.Testing;
using Wschat.Hub;
using Wschat.Hub.Moderation;
using Wschat.Tests.Infrastructure;
using Xunit.Abstractions;

namespace Wschat.Tests.Moderation;

/// <summary>
/// What every <see cref="IRoomRuleStore"/> does: the rules one node sets hold on every node, and end by
/// themselves. Two nodes are two stores of one cluster (in memory both are the one store of a single node).
/// Time is the test's <see cref="Time"/>, starting at the real now (Redis expires a room's rules by its own
/// clock after the last of them ends) on a whole millisecond; ends are kept to the millisecond.
/// </summary>
public abstract class RoomRuleStoreSpecification(ITestOutputHelper output) : BackendSpecification(output)
{
    private const string Room = "room";

    private static readonly string Block = AddressBlocks.Key(IPAddress.Parse("10.1.2.3"));
    private static readonly string OtherBlock = AddressBlocks.Key(IPAddress.Parse("10.1.2.4"));

    private protected FakeTimeProvider Time { get; } = new(DateTimeOffset.FromUnixTimeMilliseconds(DateTimeOffset.UtcNow.ToUnixTimeMilliseconds()));

    private DateTimeOffset Now => Time.GetUtcNow();

    /// <summary>A new node of the test's cluster, on <see cref="Time"/>.</summary>
    private protected abstract Task<IRoomRuleStore> CreateNodeAsync();

    private async Task<(IRoomRuleStore A, IRoomRuleStore B)> TwoNodesAsync() => (await CreateNodeAsync(), await CreateNodeAsync());

    private static Task<RoomRules> ReadAsync(IRoomRuleStore node, string room = Room) => node.GetAsync(room, None).DefaultTimeout();

    private static Task MuteAsync(IRoomRuleStore node, DateTimeOffset until, params string[] keys) => node.MuteAsync(Room, keys, until, None).DefaultTimeout();

    private static Task BanAsync(IRoomRuleStore node, RoomBan ban) => node.BanAsync(Room, ban, None).DefaultTimeout();

    /// <summary>Reads the room's rules on <paramref name="node"/> until they hold what another node changed: a cluster tells its nodes in the background.</summary>
    private static Task<RoomRules> SeenAsync(IRoomRuleStore node, Func<RoomRules, bool> changed, string what) =>
        Eventually.GetAsync(async () => await ReadAsync(node) is var rules && changed(rules) ? rules : null, TaskTimeouts.Default, what);

    [Fact]
    public async Task A_room_without_rules_is_not_silenced_and_mutes_and_bans_nobody()
    {
        var (a, b) = await TwoNodesAsync();
        await a.MuteAsync("another room", [RoomRules.UidKey(1)], Now.AddMinutes(1), None).DefaultTimeout();

        var rules = await ReadAsync(b);

        Assert.False(rules.Silenced);
        Assert.Empty(rules.MutedUntil);
        Assert.Empty(rules.Bans);
    }

    [Fact]
    public async Task A_mute_holds_its_uid_and_its_login_id_on_every_node_until_it_ends()
    {
        var (a, b) = await TwoNodesAsync();
        var until = Now.AddMinutes(1);

        await MuteAsync(a, until, RoomRules.UidKey(7), RoomRules.LoginKey("site-7"));

        foreach (var rules in new[] { await ReadAsync(a), await ReadAsync(b) })
        {
            Assert.True(rules.IsMuted(7, null, Now));
            Assert.True(rules.IsMuted(8, "site-7", Now));
            Assert.False(rules.IsMuted(8, "site-8", Now));
            Assert.False(rules.IsMuted(8, null, Now));
            Assert.False(rules.IsMuted(7, null, until));
        }
    }

    [Fact]
    public async Task Muting_a_key_again_replaces_its_end_even_with_a_sooner_one()
    {
        var (a, b) = await TwoNodesAsync();
        await MuteAsync(a, Now.AddMinutes(10), "7");

        await MuteAsync(b, Now.AddMinutes(1), "7");

        Assert.Equal(Now.AddMinutes(1), (await ReadAsync(a)).MutedUntil["7"]);
        Time.Advance(TimeSpan.FromMinutes(2));
        Assert.False((await ReadAsync(a)).IsMuted(7, null, Now));
    }

    /// <summary>A room's rules never grow with past mutes, however busy its moderators.</summary>
    [Fact]
    public async Task Mutes_that_are_over_are_forgotten_when_the_room_is_next_muted()
    {
        var (a, b) = await TwoNodesAsync();
        await MuteAsync(a, Now.AddMinutes(1), "1");
        await MuteAsync(a, Now.AddMinutes(30), "2");

        Time.Advance(TimeSpan.FromMinutes(2));
        await MuteAsync(a, Now.AddHours(1), "3");

        Assert.Equal(["2", "3"], (await ReadAsync(b)).MutedUntil.Keys.Order(StringComparer.Ordinal));
    }

    [Fact]
    public async Task Ends_of_mutes_and_bans_are_kept_to_the_millisecond()
    {
        var (a, b) = await TwoNodesAsync();
        var until = Now.AddTicks(12_345_678);

        await MuteAsync(a, until, "7");
        await BanAsync(a, new RoomBan("ban", "site-7", null, until));

        var rules = await ReadAsync(b);
        Assert.Equal(until.ToUnixTimeMilliseconds(), rules.MutedUntil["7"].ToUnixTimeMilliseconds());
        Assert.Equal(until.ToUnixTimeMilliseconds(), rules.Bans["ban"].Until.ToUnixTimeMilliseconds());
    }

    [Fact]
    public async Task Silencing_and_unsilencing_a_room_keeps_its_mutes_and_bans()
    {
        var (a, b) = await TwoNodesAsync();
        var ban = new RoomBan("ban", "site-7", null, Now.AddMinutes(1));
        await MuteAsync(a, Now.AddMinutes(1), "7");
        await BanAsync(a, ban);

        await a.SetSilencedAsync(Room, true, None).DefaultTimeout();
        var silenced = await ReadAsync(b);
        await a.SetSilencedAsync(Room, false, None).DefaultTimeout();
        var unsilenced = await ReadAsync(a);

        Assert.True(silenced.Silenced);
        Assert.False(unsilenced.Silenced);
        Assert.All([silenced, unsilenced], rules =>
        {
            Assert.True(rules.IsMuted(7, null, Now));
            Assert.Equal(ban, rules.FindBan("site-7", OtherBlock, Now));
        });
    }

    [Fact]
    public async Task A_ban_holds_its_login_id_or_its_address_block_on_every_node_until_it_ends()
    {
        var (a, b) = await TwoNodesAsync();
        var both = new RoomBan("both", "site-7", Block, Now.AddMinutes(10));
        var byLogin = new RoomBan("login", "site-8", null, Now.AddMinutes(10));
        var byAddress = new RoomBan("address", null, OtherBlock, Now.AddMinutes(5));

        await BanAsync(a, both);
        await BanAsync(b, byLogin);
        await BanAsync(a, byAddress);

        var rules = await ReadAsync(b);
        Assert.Equal(both, rules.FindBan("site-7", "10.9.9.9", Now));
        Assert.Equal(both, rules.FindBan(null, Block, Now));
        Assert.Equal(byLogin, rules.FindBan("site-8", "10.9.9.9", Now));
        Assert.Equal(byAddress, rules.FindBan("site-9", OtherBlock, Now));
        Assert.Null(rules.FindBan("site-9", "10.9.9.9", Now));
        Assert.Equal([byAddress, both, byLogin], rules.ActiveBans(Now).OrderBy(static b => b.Until).ThenBy(static b => b.Id, StringComparer.Ordinal));

        Time.Advance(TimeSpan.FromMinutes(10));
        Assert.Null((await ReadAsync(a)).FindBan("site-7", Block, Now));
        Assert.Empty((await ReadAsync(a)).ActiveBans(Now));
    }

    [Fact]
    public async Task Banning_again_with_a_bans_id_replaces_that_ban()
    {
        var (a, b) = await TwoNodesAsync();
        await BanAsync(a, new RoomBan("ban", "site-7", null, Now.AddMinutes(10)));
        var replaced = new RoomBan("ban", null, Block, Now.AddMinutes(1));

        await BanAsync(b, replaced);

        var rules = await ReadAsync(a);
        Assert.Equal(replaced, Assert.Single(rules.Bans.Values));
        Assert.Null(rules.FindBan("site-7", OtherBlock, Now));
    }

    [Fact]
    public async Task Bans_that_are_over_are_forgotten_when_the_room_is_next_banned()
    {
        var (a, b) = await TwoNodesAsync();
        await BanAsync(a, new RoomBan("over", "site-1", null, Now.AddMinutes(1)));
        await BanAsync(a, new RoomBan("on", "site-2", null, Now.AddMinutes(30)));

        Time.Advance(TimeSpan.FromMinutes(2));
        await BanAsync(a, new RoomBan("new", "site-3", null, Now.AddHours(1)));

        Assert.Equal(["new", "on"], (await ReadAsync(b)).Bans.Keys.Order(StringComparer.Ordinal));
    }

    [Fact]
    public async Task A_lifted_ban_holds_no_more_and_lifting_it_again_or_a_ban_never_made_answers_false()
    {
        var (a, b) = await TwoNodesAsync();
        var kept = new RoomBan("kept", "site-8", null, Now.AddMinutes(10));
        await BanAsync(a, new RoomBan("ban", "site-7", null, Now.AddMinutes(10)));
        await BanAsync(a, kept);

        Assert.True(await b.LiftBanAsync(Room, "ban", None).DefaultTimeout());

        var rules = await ReadAsync(a);
        Assert.Null(rules.FindBan("site-7", Block, Now));
        Assert.Equal(kept, rules.FindBan("site-8", Block, Now));
        Assert.False(await a.LiftBanAsync(Room, "ban", None).DefaultTimeout());
        Assert.False(await a.LiftBanAsync(Room, "never", None).DefaultTimeout());
        Assert.False(await a.LiftBanAsync("a room without bans", "kept", None).DefaultTimeout());
    }

    [Fact]
    public async Task A_change_is_seen_at_once_by_the_node_that_made_it()
    {
        var (a, _) = await TwoNodesAsync();
        await ReadAsync(a);

        await MuteAsync(a, Now.AddMinutes(1), "7");
        Assert.True((await ReadAsync(a)).IsMuted(7, null, Now));

        await a.SetSilencedAsync(Room, true, None).DefaultTimeout();
        Assert.True((await ReadAsync(a)).Silenced);

        await BanAsync(a, new RoomBan("ban", "site-7", null, Now.AddMinutes(1)));
        Assert.NotNull((await ReadAsync(a)).FindBan("site-7", Block, Now));

        await a.LiftBanAsync(Room, "ban", None).DefaultTimeout();
        Assert.Null((await ReadAsync(a)).FindBan("site-7", Block, Now));
    }

    [Fact]
    public async Task A_change_reaches_a_node_that_had_read_the_rules_before()
    {
        var (a, b) = await TwoNodesAsync();
        Assert.False((await ReadAsync(b)).Silenced);

        await MuteAsync(a, Now.AddMinutes(1), "7");
        await a.SetSilencedAsync(Room, true, None).DefaultTimeout();
        await BanAsync(a, new RoomBan("ban", "site-7", null, Now.AddMinutes(1)));
        await SeenAsync(b, rules => rules.IsMuted(7, null, Now) && rules.Silenced && rules.FindBan("site-7", Block, Now) is not null, "node A's mute, silence and ban on node B");

        await b.SetSilencedAsync(Room, false, None).DefaultTimeout();
        await b.LiftBanAsync(Room, "ban", None).DefaultTimeout();
        await SeenAsync(a, rules => !rules.Silenced && rules.Bans.IsEmpty, "node B's unsilencing and lifting on node A");
    }

    [Fact]
    public async Task Each_room_has_rules_of_its_own()
    {
        var (a, b) = await TwoNodesAsync();
        await MuteAsync(a, Now.AddMinutes(1), "7");
        await a.SetSilencedAsync(Room, true, None).DefaultTimeout();
        await BanAsync(a, new RoomBan("ban", "site-7", Block, Now.AddMinutes(1)));

        var other = await ReadAsync(b, "other room");

        Assert.False(other.Silenced);
        Assert.False(other.IsMuted(7, null, Now));
        Assert.Null(other.FindBan("site-7", Block, Now));
        Assert.False(await b.LiftBanAsync("other room", "ban", None).DefaultTimeout());
    }
}
