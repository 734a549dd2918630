using System.Net;
using Wschat.Hub.Hubs;
using Wschat.Tests.Infrastructure;

namespace Wschat.Tests.Hosting;

/// <summary>The <c>ip</c> a client is told and shown as: its own address, or what a trusted proxy forwarded.</summary>
public sealed class ClientAddressTests
{
    private const string Forwarded = "203.0.113.7";

    [Theory]
    [InlineData(new string[0], "127.0.0.1")]
    [InlineData(new[] { "Wschat:TrustedProxies:0=127.0.0.1" }, Forwarded)]
    [InlineData(new[] { "Wschat:TrustedNetworks:0=127.0.0.0/8" }, Forwarded)]
    [InlineData(new[] { "Wschat:TrustedProxies:0=10.9.9.9" }, "127.0.0.1")]
    [InlineData(new[] { "Wschat:TrustedNetworks:0=10.0.0.0/8" }, "127.0.0.1")]
    public async Task X_Forwarded_For_is_believed_only_from_trusted_proxies(string[] settings, string expectedIp)
    {
        await using var node = await HubNode.StartAsync(settings: settings);

        await using var client = await RawClient.ConnectAsync(node.RawUri, o => o.SetRequestHeader("X-Forwarded-For", Forwarded));

        Assert.Equal(expectedIp, client.Ip);
    }

    [Fact]
    public async Task Behind_one_trusted_proxy_the_address_it_saw_is_used_not_what_the_client_claimed_before_it()
    {
        await using var node = await HubNode.StartAsync(settings: "Wschat:TrustedProxies:0=127.0.0.1");

        await using var client = await RawClient.ConnectAsync(node.RawUri, o => o.SetRequestHeader("X-Forwarded-For", $"198.51.100.66, {Forwarded}"));

        Assert.Equal(Forwarded, client.Ip);
    }

    [Theory]
    [InlineData(null, "127.0.0.1")]
    [InlineData("Wschat:TrustedProxies:0=127.0.0.1", Forwarded)]
    public async Task On_the_dual_stack_listener_of_a_legacy_install_IPv4_clients_and_proxies_are_plain_IPv4(string? setting, string expectedIp)
    {
        var (node, port) = await LegacyInstall.StartAsync(TempDirectory.Create(), "ssl=0\n", setting is null ? [] : [setting]);
        await using var _ = node;

        await using var client = await RawClient.ConnectAsync(new Uri($"ws://127.0.0.1:{port}/"), o => o.SetRequestHeader("X-Forwarded-For", Forwarded));

        Assert.Equal(expectedIp, client.Ip);
    }

    [Theory]
    [InlineData("::ffff:10.1.2.3", "10.1.2.3")]
    [InlineData("::ffff:127.0.0.1", "127.0.0.1")]
    [InlineData("192.168.1.202", "192.168.1.202")]
    [InlineData("2001:db8::1", "2001:db8::1")]
    [InlineData("::1", "::1")]
    public void IPv4_mapped_IPv6_addresses_are_written_as_plain_IPv4(string address, string written) =>
        Assert.Equal(written, ChatSession.FormatAddress(IPAddress.Parse(address)));

    [Fact]
    public void An_unknown_address_is_written_empty() => Assert.Equal("", ChatSession.FormatAddress(null));
}
