using System.Net;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using Wschat.Hub;
using Wschat.Hub.Hubs;
using Wschat.Tests.Api;
using Wschat.Tests.Infrastructure;

namespace Wschat.Tests.EndToEnd;

/// <summary>
/// <c>Wschat:Privacy:PeerIp</c>: what members see of each other's address in room events and userlist
/// (full, masked to the network, or nothing), while a connection sees its own address, and admins and
/// the HTTP API see every address, in full.
/// </summary>
public sealed class PeerAddressTests
{
    private const string AdminToken = "api-tests-admin";
    private const string ObserverAddress = "198.51.100.9";

    public static TheoryData<string, string, string, ClientKind> Modes()
    {
        var data = new TheoryData<string, string, string, ClientKind>();
        foreach (var kind in new[] { ClientKind.Raw, ClientKind.Json, ClientKind.MessagePack })
        {
            data.Add("full", "203.0.113.7", "203.0.113.7", kind);
            data.Add("full", "2001:db8:1:2::5", "2001:db8:1:2::5", kind);
            data.Add("masked", "203.0.113.7", "203.0.113.0", kind);
            data.Add("masked", "2001:db8:1:2::5", "2001:db8:1::", kind);
            data.Add("none", "203.0.113.7", "", kind);
            data.Add("none", "2001:db8:1:2::5", "", kind);
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(Modes))]
    public async Task Members_see_each_others_address_as_configured_the_connection_its_own_and_admins_and_the_API_all_in_full(
        string mode, string address, string shown, ClientKind kind)
    {
        await using var node = await HubNode.StartAsync(settings: ["Wschat:TrustedProxies:0=127.0.0.1", $"Wschat:Privacy:PeerIp={mode}", .. ApiClient.Settings]);
        var room = SingleNodeFixture.NewRoom();
        await using var observer = await ChatClients.ConnectFromAsync(node, kind, ObserverAddress);
        await using var admin = await ChatClients.ConnectFromAsync(node, ClientKind.Raw, "198.51.100.10", AdminToken);
        await using var member = await ChatClients.ConnectFromAsync(node, kind, address);
        await ChatClients.JoinAllAsync(room, observer, admin);

        // Its own address, in full.
        if (member is RawClient raw)
        {
            Assert.Equal(address, raw.Ip);
        }

        await member.SendAsync("hello");
        WireAssert.Strings(await member.ReceiveAsync("hello"), ("ip", address));

        // Room events: the address as the room sees it, for everyone (admins included: one copy for the whole room).
        IChatClient[] everyone = [observer, admin, member];
        await member.SendAsync("join", new { room });
        await AllSeeAsync(everyone, "joinroom", member.Uid, shown);
        await member.SendAsync("login", Profile.Of("地址").Request);
        WireAssert.Success(await member.ReceiveAsync("login"), "login");
        await AllSeeAsync(everyone, "login", member.Uid, shown);

        // userlist is answered per caller: the address as members see it, or in full to an admin.
        Assert.Equal(shown, await UserListIpAsync(observer, member.Uid));
        Assert.Equal(address, await UserListIpAsync(admin, member.Uid));

        // The HTTP API reads presence, which keeps the address in full; its history holds what the room saw.
        using var api = new ApiClient(node);
        var path = $"/api/rooms/{Uri.EscapeDataString(room)}";
        var users = (await ApiClient.ExpectAsync(await api.GetAsync(path), HttpStatusCode.OK)).GetProperty("users");
        WireAssert.Strings(Assert.Single(users.EnumerateArray()), ("ip", address));
        var history = await api.GetAsync(path + "/history");
        var historyText = (await ApiClient.ExpectAsync(history, HttpStatusCode.OK)).GetRawText();
        if (mode != "full")
        {
            Assert.DoesNotContain(address, historyText, StringComparison.Ordinal);
        }

        await member.SendAsync("logout");
        WireAssert.Success(await member.ReceiveAsync("logout"), "logout");
        await AllSeeAsync(everyone, "logout", member.Uid, shown);
        await member.SendAsync("leave");
        await AllSeeAsync(everyone, "leaveroom", member.Uid, shown);
    }

    [Fact]
    public async Task Without_the_setting_members_see_each_others_address_in_full_as_the_legacy_contract_has_it()
    {
        await using var node = await HubNode.StartAsync(settings: "Wschat:TrustedProxies:0=127.0.0.1");
        var room = SingleNodeFixture.NewRoom();
        await using var observer = await ChatClients.ConnectFromAsync(node, ClientKind.Raw, ObserverAddress);
        await using var member = await ChatClients.ConnectFromAsync(node, ClientKind.Raw, "203.0.113.7");
        await observer.JoinAsync(room);

        await member.SendAsync("join", new { room });

        await AllSeeAsync([observer, member], "joinroom", member.Uid, "203.0.113.7");
    }

    [Theory]
    [InlineData("::ffff:203.0.113.7", "203.0.113.7")]
    [InlineData("203.0.113.7", "203.0.113.7")]
    [InlineData("2001:db8:1:2:aaaa:bbbb:cccc:dddd", "2001:db8:1:2::/64")]
    [InlineData("2001:db8:1:2::1", "2001:db8:1:2::/64")]
    [InlineData("not an address", "")]
    public void An_address_block_is_an_IPv4_address_or_an_IPv6_addresss_64(string address, string key) =>
        Assert.Equal(key, AddressBlocks.Key(address));

    [Theory]
    [InlineData("masked", "10.1.2.3", "10.1.2.0")]
    [InlineData("masked", "2001:db8:abcd:12:1::9", "2001:db8:abcd::")]
    [InlineData("masked", "", "")]
    [InlineData("none", "10.1.2.3", "")]
    [InlineData("full", "10.1.2.3", "10.1.2.3")]
    public async Task An_address_is_shown_to_peers_as_the_mode_says(string mode, string address, string shown)
    {
        await using var node = await HubNode.StartAsync(settings: $"Wschat:Privacy:PeerIp={mode}");

        Assert.Equal(shown, node.Services.GetRequiredService<PeerAddresses>().Show(address));
    }

    private static async Task AllSeeAsync(IEnumerable<IChatClient> members, string eventName, long uid, string ip)
    {
        foreach (var member in members)
        {
            var message = await member.ReceiveAsync("event");
            WireAssert.Strings(message, ("event", eventName), ("ip", ip));
            WireAssert.Numbers(message, ("uid", uid));
        }
    }

    private static async Task<string> UserListIpAsync(IChatClient asker, long uid)
    {
        await asker.SendAsync("userlist");
        var users = (await asker.ReceiveAsync("userlist")).GetProperty("users").EnumerateArray();
        var entry = users.Single(u => u.GetProperty("uid").GetString() == uid.ToString(System.Globalization.CultureInfo.InvariantCulture));
        Assert.Equal(JsonValueKind.String, entry.GetProperty("ip").ValueKind);
        return entry.GetProperty("ip").GetString()!;
    }
}
