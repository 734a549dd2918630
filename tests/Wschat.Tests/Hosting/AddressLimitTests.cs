using System.Net;
using Wschat.Contracts;
using Wschat.Hub;
using Wschat.Tests.EndToEnd;
using Wschat.Tests.Infrastructure;

namespace Wschat.Tests.Hosting;

/// <summary>
/// Every per-address limit counts an IPv6 client by its /64, which one subscriber can fill with
/// addresses at will. Kestrel here has one address of each family, so the clients come through a
/// trusted proxy (127.0.0.1) that forwards the address each one claims.
/// </summary>
public sealed class AddressLimitTests
{
    private const string Proxy = "Wschat:TrustedProxies:0=127.0.0.1";
    private const string First = "2001:db8:1:2::a";
    private const string SameNetwork = "2001:db8:1:2:ffff:1:2:3";
    private const string OtherNetwork = "2001:db8:1:3::a";

    [Theory]
    [InlineData("2001:db8:1:2::a", "2001:db8:1:2::/64")]
    [InlineData("2001:db8:1:2:ffff:ffff:ffff:ffff", "2001:db8:1:2::/64")]
    [InlineData("2001:db8:1:3::a", "2001:db8:1:3::/64")]
    [InlineData("::1", "::/64")]
    [InlineData("fe80::1%3", "fe80::/64")]
    [InlineData("203.0.113.7", "203.0.113.7")]
    [InlineData("::ffff:203.0.113.7", "203.0.113.7")]
    public void An_IPv6_address_counts_by_its_64_and_an_IPv4_one_or_its_mapped_form_by_itself(string address, string key) =>
        Assert.Equal(key, AddressBlocks.Key(IPAddress.Parse(address)));

    [Fact]
    public void An_unknown_address_has_the_empty_key() => Assert.Equal("", AddressBlocks.Key((IPAddress?)null));

    [Fact]
    public async Task Two_IPv6_addresses_of_one_64_share_the_connection_rate_while_another_64_connects()
    {
        await using var node = await HubNode.StartAsync(settings:
            [Proxy, "Wschat:Limits:ConnectionBurstPerIp=1", "Wschat:Limits:ConnectionsPerSecondPerIp=1"]);

        // The /64's bucket holds one connection and gains one a second: the second address finds it empty.
        Assert.Equal(HttpStatusCode.SwitchingProtocols, await AdmissionTests.AttemptRawAsync(node.RawUri, First));
        Assert.Equal(HttpStatusCode.TooManyRequests, await AdmissionTests.AttemptRawAsync(node.RawUri, SameNetwork));
        Assert.Equal(HttpStatusCode.SwitchingProtocols, await AdmissionTests.AttemptRawAsync(node.RawUri, OtherNetwork));
    }

    [Fact]
    public async Task Two_IPv6_addresses_of_one_64_share_the_message_rate_per_address_while_another_64_is_answered()
    {
        await using var node = await HubNode.StartAsync(settings: [Proxy, "Wschat:Limits:MessagesPerSecondPerIp=1"]);
        await using var first = await ConnectAsync(node, First);
        await using var neighbour = await ConnectAsync(node, SameNetwork);
        await using var other = await ConnectAsync(node, OtherNetwork);
        Assert.Equal(SameNetwork, neighbour.Ip);

        // One message a second for the whole /64: the first address takes it, its neighbour is refused.
        await first.SendAsync("hello");
        await first.ReceiveAsync("hello");
        await neighbour.SendAsync("hello");
        WireAssert.Error(await neighbour.ReceiveAsync("error"), ErrorCodes.RateLimited);
        await other.SendAsync("hello");
        await other.ReceiveAsync("hello");
    }

    private static Task<RawClient> ConnectAsync(HubNode node, string forwardedFor) =>
        RawClient.ConnectAsync(node.RawUri, o => o.SetRequestHeader("X-Forwarded-For", forwardedFor));
}
