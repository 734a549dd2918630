using System.Net;
using Wschat.Hub.Hubs;
using Wschat.Tests.Infrastructure;

namespace Wschat.Tests.Hosting;

public sealed class ClientAddressTests
{
    private const string Forwarded = "203.0.113.7";

    [Theory]
    [InlineData(new string[0], "127.0.0.1")]
    [InlineData(new[] { "Wschat:TrustedProxies:0=127.0.0.1" }, Forwarded)]
    [InlineData(new[] { "Wschat:TrustedNetworks:0=127.0.0.0/8" }, Forwarded)]
    [InlineData(new[] { "Wschat:TrustedProxies:0=10.9.9.9" }, "127.0.0.1")]
    public async Task X_Forwarded_For_is_believed_only_from_trusted_proxies(string[] settings, string expectedIp)
    {
        await using var node = await HubNode.StartAsync(settings: settings);

        await using var client = await RawClient.ConnectAsync(node.RawUri, o => o.SetRequestHeader("X-Forwarded-For", Forwarded));

        Assert.Equal(expectedIp, client.Ip);
    }

    [Theory]
    [InlineData("::ffff:10.1.2.3", "10.1.2.3")]
    [InlineData("192.168.1.202", "192.168.1.202")]
    [InlineData("2001:db8::1", "2001:db8::1")]
    public void IPv4_mapped_IPv6_addresses_are_written_as_plain_IPv4(string address, string written) =>
        Assert.Equal(written, ChatSession.FormatAddress(IPAddress.Parse(address)));
}
