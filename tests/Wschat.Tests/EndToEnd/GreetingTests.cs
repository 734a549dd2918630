using Wschat.Tests.Infrastructure;

namespace Wschat.Tests.EndToEnd;

/// <summary>setuserid on connect, and the hello reply.</summary>
public sealed class GreetingTests(SingleNodeFixture fixture) : IClassFixture<SingleNodeFixture>
{
    public static TheoryData<ClientKind> Kinds => ChatClients.Kinds;

    [Fact]
    public async Task Connecting_is_greeted_with_setuserid_carrying_the_uid_as_a_number_and_the_client_ip()
    {
        await using var client = await fixture.ConnectRawAsync();

        WireAssert.Shape(client.Greeting, "setuserid", "uid", "ip");
        WireAssert.Numbers(client.Greeting, ("uid", client.Uid));
        WireAssert.Strings(client.Greeting, ("ip", WireAssert.LocalIp));
        Assert.InRange(client.Uid, 1, (1L << 53) - 1);
    }

    [Fact]
    public async Task Every_connection_gets_a_uid_of_its_own_whatever_its_protocol()
    {
        var clients = new List<IChatClient>();
        try
        {
            foreach (var kind in Enum.GetValues<ClientKind>())
            {
                clients.Add(await fixture.ConnectAsync(kind));
                clients.Add(await fixture.ConnectAsync(kind));
            }

            Assert.All(clients, static c => Assert.InRange(c.Uid, 1, (1L << 53) - 1));
            Assert.Equal(clients.Count, clients.Select(static c => c.Uid).Distinct().Count());
        }
        finally
        {
            foreach (var client in clients)
            {
                await client.DisposeAsync();
            }
        }
    }

    [Theory]
    [MemberData(nameof(Kinds))]
    public async Task Hello_is_answered_to_the_sender_alone_with_the_server_name_its_uid_as_a_number_and_its_ip(ClientKind kind)
    {
        var room = SingleNodeFixture.NewRoom();
        await using var neighbour = await fixture.ConnectRawAsync();
        await using var client = await fixture.ConnectAsync(kind);
        await ChatClients.JoinAllAsync(room, neighbour, client);

        await client.SendAsync("hello");

        var hello = await client.ReceiveAsync("hello");
        WireAssert.Shape(hello, "hello", "server", "uid", "ip");
        WireAssert.Numbers(hello, ("uid", client.Uid));
        WireAssert.Strings(hello, ("ip", WireAssert.LocalIp));
        Assert.False(string.IsNullOrWhiteSpace(hello.GetProperty("server").GetString()));
        await neighbour.AssertNothingPendingAsync();
    }

    [Fact]
    public async Task An_IPv4_client_of_a_dual_stack_listener_is_given_its_address_as_plain_IPv4()
    {
        await using var node = await HubNode.StartAsync(urls: "http://[::]:0");
        await using var raw = await RawClient.ConnectAsync(node.RawUri);
        await using var json = await ChatClients.ConnectAsync(node, ClientKind.Json);

        WireAssert.Strings(raw.Greeting, ("ip", WireAssert.LocalIp));
        await json.SendAsync("hello");
        WireAssert.Strings(await json.ReceiveAsync("hello"), ("ip", WireAssert.LocalIp));
    }
}
