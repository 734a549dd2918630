using System.Text;
using System.Text.Json;
using Wschat.Tests.Infrastructure;

namespace Wschat.Tests.EndToEnd;

/// <summary>login, logout and userlist: replies, room events, counts, and login state across rooms.</summary>
public sealed class LoginTests(SingleNodeFixture fixture) : IClassFixture<SingleNodeFixture>
{
    public static TheoryData<ClientKind> Kinds => ChatClients.Kinds;

    [Theory]
    [MemberData(nameof(Kinds))]
    public async Task Login_answers_the_sender_then_announces_the_profile_to_the_room_with_the_time_as_a_number(ClientKind kind)
    {
        var room = SingleNodeFixture.NewRoom();
        var profile = Profile.Of("61396");
        await using var watcher = await fixture.ConnectRawAsync();
        await using var user = await fixture.ConnectAsync(kind);
        await using var elsewhere = await fixture.ConnectRawAsync();
        await ChatClients.JoinAllAsync(room, watcher, user);
        await elsewhere.JoinAsync(SingleNodeFixture.NewRoom());
        var before = DateTimeOffset.UtcNow.ToUnixTimeSeconds();

        await user.SendAsync("login", profile.Request);

        WireAssert.Success(await user.ReceiveAsync("login"), "login");
        foreach (var login in new[] { await watcher.ReceiveAsync("event"), await user.ReceiveAsync("event") })
        {
            WireAssert.Event(login, "login", user.Uid, usersCount: 2, loginedCount: 1);
            WireAssert.Strings(login, ("username", profile.Uname), ("avatar", profile.Avatar), ("userid", profile.LoginId), ("userinfo", profile.Info));
            Assert.InRange(login.GetProperty("time").GetInt64(), before, DateTimeOffset.UtcNow.ToUnixTimeSeconds());
        }

        await elsewhere.AssertNothingPendingAsync();
    }

    [Fact]
    public async Task Logging_in_outside_a_room_answers_the_sender_alone_and_the_login_counts_once_it_joins()
    {
        var room = SingleNodeFixture.NewRoom();
        var profile = Profile.Of("先登录");
        await using var member = await fixture.ConnectRawAsync();
        await using var user = await fixture.ConnectAsync(ClientKind.Json);
        await member.JoinAsync(room);

        await user.LogInAsync(profile);
        await user.AssertNothingPendingAsync();
        await member.AssertNothingPendingAsync();

        await user.SendAsync("join", new { room });
        await WireAssert.EventReachesAsync([member, user], "joinroom", user.Uid, usersCount: 2, loginedCount: 1);
        await user.SendAsync("danmu", new { text = "已登录" });
        WireAssert.Chat(await member.ReceiveAsync("danmu"), "danmu", "已登录", user, profile);
        await member.SendAsync("userlist");
        WireAssert.Strings(Assert.Single(AssertUserList(await member.ReceiveAsync("userlist"), count: 1)), ("uid", user.UidText), ("username", profile.Uname));
    }

    [Theory]
    [MemberData(nameof(Kinds))]
    public async Task Login_state_belongs_to_the_connection_and_survives_switching_rooms(ClientKind kind)
    {
        var (first, second) = (SingleNodeFixture.NewRoom(), SingleNodeFixture.NewRoom());
        var profile = Profile.Of("旅行者");
        await using var inFirst = await fixture.ConnectRawAsync();
        await using var inSecond = await fixture.ConnectRawAsync();
        await using var user = await fixture.ConnectAsync(kind);
        await ChatClients.JoinAllAsync(first, inFirst, user);
        await ChatClients.JoinAllAsync(second, inSecond);
        await user.LogInAsync(profile, [inFirst, user], loginedCount: 1);

        await user.SendAsync("join", new { room = second });

        await WireAssert.EventReachesAsync([inFirst, user], "leaveroom", user.Uid, usersCount: 1, loginedCount: 0);
        await WireAssert.EventReachesAsync([user, inSecond], "joinroom", user.Uid, usersCount: 2, loginedCount: 1);
        await user.SendAsync("danmu", new { text = "我还登录着" });
        WireAssert.Chat(await inSecond.ReceiveAsync("danmu"), "danmu", "我还登录着", user, profile);
        await user.SendAsync("text", new { text = "还是我" });
        WireAssert.Chat(await inSecond.ReceiveAsync("text"), "text", "还是我", user, profile);
        await inSecond.SendAsync("userlist");
        WireAssert.Strings(Assert.Single(AssertUserList(await inSecond.ReceiveAsync("userlist"), count: 1)), ("uid", user.UidText));
        await inFirst.SendAsync("userlist");
        AssertUserList(await inFirst.ReceiveAsync("userlist"), count: 0);
    }

    [Theory]
    [MemberData(nameof(Kinds))]
    public async Task Logout_answers_the_sender_and_tells_the_room_with_the_former_username_and_later_messages_are_anonymous(ClientKind kind)
    {
        var room = SingleNodeFixture.NewRoom();
        var profile = Profile.Of("要走的");
        await using var watcher = await fixture.ConnectRawAsync();
        await using var user = await fixture.ConnectAsync(kind);
        await ChatClients.JoinAllAsync(room, watcher, user);
        await user.LogInAsync(profile, [watcher, user], loginedCount: 1);

        await user.SendAsync("logout");

        WireAssert.Success(await user.ReceiveAsync("logout"), "logout");
        foreach (var logout in new[] { await watcher.ReceiveAsync("event"), await user.ReceiveAsync("event") })
        {
            WireAssert.Event(logout, "logout", user.Uid, usersCount: 2, loginedCount: 0);
            WireAssert.Strings(logout, ("username", profile.Uname));
        }

        await user.SendAsync("danmu", new { text = "匿名了" });
        WireAssert.Chat(await watcher.ReceiveAsync("danmu"), "danmu", "匿名了", user);
        await user.SendAsync("text", new { text = "匿名文字" });
        WireAssert.Chat(await watcher.ReceiveAsync("text"), "text", "匿名文字", user);
    }

    [Theory]
    [MemberData(nameof(Kinds))]
    public async Task A_login_with_only_a_name_still_carries_every_profile_field_as_an_empty_string(ClientKind kind)
    {
        var room = SingleNodeFixture.NewRoom();
        var profile = new Profile("只有名字", "", "", "");
        await using var watcher = await fixture.ConnectRawAsync();
        await using var user = await fixture.ConnectAsync(kind);
        await ChatClients.JoinAllAsync(room, watcher, user);

        await user.SendAsync("login", new { uname = profile.Uname });

        WireAssert.Success(await user.ReceiveAsync("login"), "login");
        var login = await watcher.ReceiveAsync("event");
        WireAssert.Event(login, "login", user.Uid, usersCount: 2, loginedCount: 1);
        WireAssert.Strings(login, ("username", profile.Uname), ("avatar", ""), ("userid", ""), ("userinfo", ""));
        await user.ReceiveAsync("event");
        await user.SendAsync("text", new { text = "空资料" });
        WireAssert.Chat(await watcher.ReceiveAsync("text"), "text", "空资料", user, profile);
    }

    [Fact]
    public async Task Logging_in_again_replaces_the_profile_without_counting_the_connection_twice()
    {
        var room = SingleNodeFixture.NewRoom();
        var (before, after) = (Profile.Of("旧名"), Profile.Of("新名"));
        await using var watcher = await fixture.ConnectRawAsync();
        await using var user = await fixture.ConnectRawAsync();
        await ChatClients.JoinAllAsync(room, watcher, user);
        await user.LogInAsync(before, [watcher, user], loginedCount: 1);

        await user.LogInAsync(after);

        var login = await watcher.ReceiveAsync("event");
        WireAssert.Event(login, "login", user.Uid, usersCount: 2, loginedCount: 1);
        WireAssert.Strings(login, ("username", after.Uname));
        await user.SendAsync("danmu", new { text = "改名了" });
        WireAssert.Chat(await watcher.ReceiveAsync("danmu"), "danmu", "改名了", user, after);
    }

    [Theory]
    [MemberData(nameof(Kinds))]
    public async Task Userlist_answers_the_caller_alone_with_the_logged_in_members_of_its_room_as_strings_and_their_count(ClientKind kind)
    {
        var room = SingleNodeFixture.NewRoom();
        var profile = Profile.Of("列表");
        await using var asker = await fixture.ConnectAsync(kind);
        await using var loggedIn = await fixture.ConnectRawAsync();
        await using var anonymous = await fixture.ConnectAsync(ClientKind.MessagePack);
        await using var otherRoom = await fixture.ConnectRawAsync();
        await ChatClients.JoinAllAsync(room, asker, loggedIn, anonymous);
        await otherRoom.JoinAsync(SingleNodeFixture.NewRoom());
        await otherRoom.LogInAsync(Profile.Of("别的房间"));
        await otherRoom.ReceiveAsync("event");

        await asker.SendAsync("userlist");
        AssertUserList(await asker.ReceiveAsync("userlist"), count: 0);

        await loggedIn.LogInAsync(profile);
        var login = await loggedIn.ReceiveAsync("event");
        await asker.ReceiveAsync("event");
        await anonymous.ReceiveAsync("event");
        await asker.SendAsync("userlist");

        var entry = Assert.Single(AssertUserList(await asker.ReceiveAsync("userlist"), count: 1));
        WireAssert.Shape(entry, null, WireAssert.UserListEntryFields);
        WireAssert.Strings(
            entry,
            ("uid", loggedIn.UidText),
            ("ip", WireAssert.LocalIp),
            ("time", login.GetProperty("time").GetInt64().ToString(System.Globalization.CultureInfo.InvariantCulture)),
            ("avatar", profile.Avatar),
            ("userid", profile.LoginId),
            ("userinfo", profile.Info),
            ("username", profile.Uname));
        await loggedIn.AssertNothingPendingAsync();
        await anonymous.AssertNothingPendingAsync();
        await otherRoom.AssertNothingPendingAsync();

        await loggedIn.SendAsync("logout");
        await loggedIn.ReceiveAsync("logout");
        await asker.ReceiveAsync("event");
        await asker.SendAsync("userlist");
        AssertUserList(await asker.ReceiveAsync("userlist"), count: 0);
    }

    [Fact]
    public async Task A_capped_userlist_lists_at_most_the_limit_while_count_stays_the_total()
    {
        await using var node = await HubNode.StartAsync(settings: "Wschat:UserListLimit=2");
        var room = SingleNodeFixture.NewRoom();
        var clients = new List<RawClient>();
        try
        {
            for (var i = 0; i < 3; i++)
            {
                var client = await RawClient.ConnectAsync(node.RawUri);
                clients.Add(client);
                await client.JoinAsync(room);
                await client.LogInAsync(Profile.Of("第" + i));
            }

            await clients[0].SendAsync("userlist");

            var users = AssertUserList(await clients[0].ReceiveSkippingAsync("userlist"), count: 3);
            Assert.Equal(2, users.Length);
            Assert.Equal(2, users.Select(static u => u.GetProperty("uid").GetString()).Distinct().Count());
        }
        finally
        {
            foreach (var client in clients)
            {
                await client.DisposeAsync();
            }
        }
    }

    [Fact]
    public async Task A_login_event_takes_at_most_3_bytes_for_each_character_of_its_fields_whatever_they_hold()
    {
        // The costliest characters left once control characters are refused: 3-byte UTF-8, and the
        // quote and backslash that JSON escapes in 2 bytes (a control character took 6).
        var room = SingleNodeFixture.NewRoom();
        var profile = new Profile(new string('\uFFFD', 512), new string('"', 512), new string('\\', 512), string.Concat(Enumerable.Repeat("中😀", 512 / 3)));
        await using var user = await fixture.ConnectRawAsync();
        await user.JoinAsync(room);

        await user.LogInAsync(profile);
        var login = await user.ReceiveAsync("event");

        WireAssert.Strings(login, ("username", profile.Uname), ("avatar", profile.Avatar), ("userid", profile.LoginId), ("userinfo", profile.Info));
        var fieldCharacters = profile.Uname.Length + profile.Avatar.Length + profile.LoginId.Length + profile.Info.Length;
        Assert.InRange(Encoding.UTF8.GetByteCount(user.LastText), fieldCharacters, (3 * fieldCharacters) + 256);
    }

    [Theory]
    [MemberData(nameof(Kinds))]
    public async Task A_userlist_of_long_profiles_is_cut_to_its_byte_budget_instead_of_dropping_the_asker_and_count_stays_the_total(ClientKind kind)
    {
        // Every field at its limit in 3-byte characters: about 6 KB an entry, 20 of them about twice
        // what may wait for one reader. The default budget is a quarter of that: 16 KiB.
        const int Users = 20;
        const int MaxQueuedBytes = 64 * 1024;
        await using var node = await HubNode.StartAsync(settings: $"Wschat:Limits:MaxQueuedBytes={MaxQueuedBytes}");
        var room = SingleNodeFixture.NewRoom();
        var profile = new Profile(new string('名', 512), new string('图', 512), new string('号', 512), new string('介', 512));
        var clients = new List<IChatClient>();
        try
        {
            for (var i = 0; i < Users; i++)
            {
                var client = await RawClient.ConnectAsync(node.RawUri);
                clients.Add(client);
                await client.LogInAsync(profile);
                await client.JoinAsync(room);
            }

            var asker = await ChatClients.ConnectAsync(node, kind);
            clients.Add(asker);
            await asker.JoinAsync(room);
            await asker.SendAsync("userlist");

            var reply = await asker.ReceiveAsync("userlist");
            var users = AssertUserList(reply, count: Users);
            Assert.InRange(users.Length, 1, Users - 1);
            Assert.InRange(users.Sum(static u => u.EnumerateObject().Sum(static f => Encoding.UTF8.GetByteCount(f.Value.GetString()!))), 1, MaxQueuedBytes / 4);
            Assert.All(users, static u => WireAssert.Strings(u, ("username", new string('名', 512)), ("userinfo", new string('介', 512))));
            await asker.AssertNothingPendingAsync();
        }
        finally
        {
            foreach (var client in clients)
            {
                await client.DisposeAsync();
            }
        }
    }

    /// <summary>A userlist reply: exactly users (an array) and count (a number); returns the entries.</summary>
    private static JsonElement[] AssertUserList(JsonElement message, int count)
    {
        WireAssert.Shape(message, "userlist", "users", "count");
        WireAssert.Numbers(message, ("count", count));
        Assert.Equal(JsonValueKind.Array, message.GetProperty("users").ValueKind);
        var users = message.GetProperty("users").EnumerateArray().ToArray();
        Assert.All(users, static u => WireAssert.Shape(u, null, WireAssert.UserListEntryFields));
        return users;
    }
}
