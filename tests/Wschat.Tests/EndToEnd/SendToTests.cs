using Wschat.Tests.Infrastructure;

namespace Wschat.Tests.EndToEnd;

public sealed class SendToTests(SingleNodeFixture fixture) : IClassFixture<SingleNodeFixture>
{
    public static TheoryData<ClientKind, ClientKind> SenderAndAddressee
    {
        get
        {
            var pairs = new TheoryData<ClientKind, ClientKind>();
            foreach (var sender in Enum.GetValues<ClientKind>())
            {
                foreach (var addressee in Enum.GetValues<ClientKind>())
                {
                    pairs.Add(sender, addressee);
                }
            }

            return pairs;
        }
    }

    [Theory]
    [MemberData(nameof(SenderAndAddressee))]
    public async Task A_private_message_reaches_the_addressee_alone_whatever_protocols_they_speak(ClientKind senderKind, ClientKind addresseeKind)
    {
        await using var sender = await fixture.ConnectAsync(senderKind);
        await using var addressee = await fixture.ConnectAsync(addresseeKind);
        await using var bystander = await RawClient.ConnectAsync(fixture.Node.RawUri);

        await sender.SendAsync("sendto", new { text = "私密消息发送", touids = new[] { addressee.UidText } });

        ChatTests.AssertFields(await addressee.ReceiveAsync("sendto"), ("text", "私密消息发送"), ("uid", sender.UidText), ("avatar", ""), ("username", ""));
        await bystander.AssertNothingPendingAsync();
        await sender.AssertNothingPendingAsync();
    }

    [Fact]
    public async Task Touids_may_be_a_string_a_number_or_an_array_of_either()
    {
        await using var sender = await RawClient.ConnectAsync(fixture.Node.RawUri);
        await using var first = await RawClient.ConnectAsync(fixture.Node.RawUri);
        await using var second = await RawClient.ConnectAsync(fixture.Node.RawUri);

        object[] forms = [first.UidText, first.Uid, new[] { first.UidText }, new[] { first.Uid }, new object[] { first.Uid, second.UidText }];
        foreach (var touids in forms)
        {
            await sender.SendAsync("sendto", new { text = "形式", touids });
            Assert.Equal("形式", (await first.ReceiveAsync("sendto")).GetProperty("text").GetString());
        }

        await second.ReceiveAsync("sendto");
        await second.AssertNothingPendingAsync();
    }

    [Fact]
    public async Task A_logged_in_sender_is_named_and_unknown_or_own_uids_are_skipped()
    {
        await using var sender = await RawClient.ConnectAsync(fixture.Node.RawUri);
        await using var addressee = await RawClient.ConnectAsync(fixture.Node.RawUri);
        await sender.SendAsync("login", new { uname = "用户55710", avatar = "https://a/5.png", loginid = "uid55710", info = "简介" });
        await sender.ReceiveAsync("login");

        await sender.SendAsync("sendto", new { text = "私密", touids = new[] { "9007199254740000", sender.UidText, addressee.UidText } });

        ChatTests.AssertFields(
            await addressee.ReceiveAsync("sendto"),
            ("text", "私密"), ("uid", sender.UidText), ("userid", "uid55710"), ("avatar", "https://a/5.png"), ("username", "用户55710"), ("userinfo", "简介"));
        await sender.AssertNothingPendingAsync();
    }
}
