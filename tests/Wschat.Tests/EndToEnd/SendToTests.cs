using Wschat.Tests.Infrastructure;

namespace Wschat.Tests.EndToEnd;

/// <summary>sendto: private messages by uid, to whom they go and to whom they never go.</summary>
public sealed class SendToTests(SingleNodeFixture fixture) : IClassFixture<SingleNodeFixture>
{
    public static TheoryData<ClientKind> Kinds => ChatClients.Kinds;

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

    public static TheoryData<string> TouidsForms => ["string", "number", "array of strings", "array of numbers", "mixed array"];

    [Theory]
    [MemberData(nameof(SenderAndAddressee))]
    public async Task A_private_message_reaches_the_addressee_alone_and_not_the_sender_whatever_protocols_they_speak(ClientKind senderKind, ClientKind addresseeKind)
    {
        var room = SingleNodeFixture.NewRoom();
        await using var sender = await fixture.ConnectAsync(senderKind);
        await using var addressee = await fixture.ConnectAsync(addresseeKind);
        await using var roommate = await fixture.ConnectRawAsync();
        await ChatClients.JoinAllAsync(room, sender, addressee, roommate);

        await sender.SendAsync("sendto", new { text = "私密消息发送", touids = new[] { addressee.UidText } });

        WireAssert.Chat(await addressee.ReceiveAsync("sendto"), "sendto", "私密消息发送", sender);
        await roommate.AssertNothingPendingAsync();
        await sender.AssertNothingPendingAsync();
    }

    [Theory]
    [MemberData(nameof(TouidsForms))]
    public async Task Touids_may_be_a_string_a_number_or_an_array_of_either(string form)
    {
        await using var sender = await fixture.ConnectRawAsync();
        await using var first = await fixture.ConnectRawAsync();
        await using var second = await fixture.ConnectRawAsync();
        object touids = form switch
        {
            "string" => first.UidText,
            "number" => first.Uid,
            "array of strings" => new[] { first.UidText },
            "array of numbers" => new[] { first.Uid },
            _ => new object[] { first.Uid, second.UidText },
        };

        await sender.SendAsync("sendto", new { text = "形式", touids });

        WireAssert.Chat(await first.ReceiveAsync("sendto"), "sendto", "形式", sender);
        if (form == "mixed array")
        {
            WireAssert.Chat(await second.ReceiveAsync("sendto"), "sendto", "形式", sender);
        }

        await second.AssertNothingPendingAsync();
        await sender.AssertNothingPendingAsync();
    }

    [Fact]
    public async Task One_private_message_reaches_each_of_several_addressees_of_every_protocol_once_and_not_their_rooms()
    {
        var room = SingleNodeFixture.NewRoom();
        await using var sender = await fixture.ConnectAsync(ClientKind.MessagePack);
        await using var raw = await fixture.ConnectRawAsync();
        await using var json = await fixture.ConnectAsync(ClientKind.Json);
        await using var messagePack = await fixture.ConnectAsync(ClientKind.MessagePack);
        await using var roommate = await fixture.ConnectRawAsync();
        await ChatClients.JoinAllAsync(room, raw, json, messagePack, roommate);

        await sender.SendAsync("sendto", new { text = "群发私信", touids = new[] { raw.UidText, json.UidText, messagePack.UidText, raw.UidText } });

        foreach (var addressee in new IChatClient[] { raw, json, messagePack })
        {
            WireAssert.Chat(await addressee.ReceiveAsync("sendto"), "sendto", "群发私信", sender);
            await addressee.AssertNothingPendingAsync();
        }

        await roommate.AssertNothingPendingAsync();
        await sender.AssertNothingPendingAsync();
    }

    [Fact]
    public async Task A_logged_in_sender_is_named_with_its_userid_avatar_username_and_userinfo()
    {
        var profile = Profile.Of("55710");
        await using var sender = await fixture.ConnectAsync(ClientKind.Json);
        await using var addressee = await fixture.ConnectRawAsync();
        await sender.LogInAsync(profile);

        await sender.SendAsync("sendto", new { text = "私密", touids = addressee.UidText });

        WireAssert.Chat(await addressee.ReceiveAsync("sendto"), "sendto", "私密", sender, profile);
    }

    [Fact]
    public async Task Addressees_that_are_not_connected_are_skipped_silently()
    {
        await using var sender = await fixture.ConnectRawAsync();
        await using var addressee = await fixture.ConnectRawAsync();
        var gone = await fixture.ConnectRawAsync();
        await gone.DisposeAsync();

        await sender.SendAsync("sendto", new { text = "有人吗", touids = new[] { "9007199254740000", gone.UidText } });
        await sender.AssertNothingPendingAsync();
        await sender.SendAsync("sendto", new { text = "找你", touids = new[] { gone.UidText, addressee.UidText, "9007199254740000" } });

        WireAssert.Chat(await addressee.ReceiveAsync("sendto"), "sendto", "找你", sender);
        await addressee.AssertNothingPendingAsync();
        await sender.AssertNothingPendingAsync();
    }

    [Theory]
    [MemberData(nameof(Kinds))]
    public async Task A_private_message_to_oneself_is_not_delivered_even_among_other_addressees(ClientKind kind)
    {
        await using var sender = await fixture.ConnectAsync(kind);
        await using var addressee = await fixture.ConnectRawAsync();

        await sender.SendAsync("sendto", new { text = "自言自语", touids = new[] { sender.UidText } });
        await sender.AssertNothingPendingAsync();
        await sender.SendAsync("sendto", new { text = "也给你", touids = new[] { sender.UidText, addressee.UidText } });

        WireAssert.Chat(await addressee.ReceiveAsync("sendto"), "sendto", "也给你", sender);
        await sender.AssertNothingPendingAsync();
    }
}
