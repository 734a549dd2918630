using System.Globalization;
using System.Net.WebSockets;
using System.Text.Json.Nodes;
using Wschat.Contracts;
using Wschat.Hub.Hosting;
using Wschat.Tests.Infrastructure;

namespace Wschat.Tests.EndToEnd;

/// <summary>
/// Every bad input is answered to its sender alone with {"type":"error","code":N,"msg":"…"}; a
/// neighbour in the same room notices nothing, and the sender is still in its room and chatting.
/// </summary>
public sealed class BadInputTests(SingleNodeFixture fixture) : IClassFixture<SingleNodeFixture>
{
    private static readonly int MaxMessageBytes = new TransportLimitsOptions().MaxMessageBytes;

    public static TheoryData<ClientKind> Kinds => ChatClients.Kinds;

    public static TheoryData<string, int> BadFrames => new()
    {
        { "not json at all", ErrorCodes.MalformedJson },
        { "{\"type\":\"danmu\",\"text\":", ErrorCodes.MalformedJson },
        { "{\"type\":\"danmu\",\"text\":'单引号'}", ErrorCodes.MalformedJson },
        { "{\"type\":\"hello\"} trailing", ErrorCodes.MalformedJson },
        { "", ErrorCodes.MalformedJson },
        { "[1]", ErrorCodes.NotAMessage },
        { "[1,2]", ErrorCodes.NotAMessage },
        { "\"x\"", ErrorCodes.NotAMessage },
        { "5", ErrorCodes.NotAMessage },
        { "null", ErrorCodes.NotAMessage },
        { "{}", ErrorCodes.NotAMessage },
        { "{\"text\":\"no type\"}", ErrorCodes.NotAMessage },
        { "{\"type\":5}", ErrorCodes.NotAMessage },
        { "{\"type\":null}", ErrorCodes.NotAMessage },
        { "{\"type\":[\"danmu\"]}", ErrorCodes.NotAMessage },
        { "{\"type\":\"fly\"}", ErrorCodes.UnknownType },
        { "{\"type\":\"\"}", ErrorCodes.UnknownType },
        { "{\"type\":\"setuserid\",\"uid\":1,\"ip\":\"1.2.3.4\"}", ErrorCodes.UnknownType },
        { "{\"type\":\"event\",\"event\":\"joinroom\"}", ErrorCodes.UnknownType },
        { "{\"type\":\"danmu\"}", ErrorCodes.InvalidFields },
        { "{\"type\":\"danmu\",\"text\":5}", ErrorCodes.InvalidFields },
        { "{\"type\":\"danmu\",\"text\":null}", ErrorCodes.InvalidFields },
        { "{\"type\":\"text\",\"text\":{}}", ErrorCodes.InvalidFields },
        { "{\"type\":\"join\"}", ErrorCodes.InvalidFields },
        { "{\"type\":\"join\",\"room\":null}", ErrorCodes.InvalidFields },
        { "{\"type\":\"join\",\"room\":[\"r\"]}", ErrorCodes.InvalidFields },
        { "{\"type\":\"login\",\"avatar\":\"no uname\"}", ErrorCodes.InvalidFields },
        { "{\"type\":\"login\",\"uname\":5}", ErrorCodes.InvalidFields },
        { "{\"type\":\"sendto\",\"text\":\"x\"}", ErrorCodes.InvalidFields },
        { "{\"type\":\"sendto\",\"text\":\"x\",\"touids\":null}", ErrorCodes.InvalidFields },
        { "{\"type\":\"sendto\",\"text\":\"x\",\"touids\":{}}", ErrorCodes.InvalidFields },
        { "{\"type\":\"sendto\",\"text\":\"x\",\"touids\":[true]}", ErrorCodes.InvalidFields },
        { "{\"type\":\"danmu\",\"text\":\"\"}", ErrorCodes.InvalidText },
        { "{\"type\":\"text\",\"text\":\"\"}", ErrorCodes.InvalidText },
        { "{\"type\":\"sendto\",\"text\":\"\",\"touids\":\"1\"}", ErrorCodes.InvalidText },
        { "{\"type\":\"join\",\"room\":\"\"}", ErrorCodes.InvalidRoom },
        { "{\"type\":\"sendto\",\"text\":\"x\",\"touids\":[]}", ErrorCodes.InvalidAddressees },
        { "{\"type\":\"sendto\",\"text\":\"x\",\"touids\":\"abc\"}", ErrorCodes.InvalidAddressees },
        { "{\"type\":\"sendto\",\"text\":\"x\",\"touids\":\"-5\"}", ErrorCodes.InvalidAddressees },
        { "setbadwords:\r\n坏词=好词\r\n", ErrorCodes.Forbidden },
    };

    /// <summary>A frame (JSON object) and the field set to a string of <c>length</c> characters.</summary>
    public static TheoryData<string, string, int, int> TooLong => new()
    {
        { "{\"type\":\"danmu\"}", "text", 1001, ErrorCodes.InvalidText },
        { "{\"type\":\"text\"}", "text", 1001, ErrorCodes.InvalidText },
        { "{\"type\":\"sendto\",\"touids\":\"1\"}", "text", 1001, ErrorCodes.InvalidText },
        { "{\"type\":\"join\"}", "room", 129, ErrorCodes.InvalidRoom },
        { "{\"type\":\"login\",\"uname\":\"u\"}", "uname", 513, ErrorCodes.InvalidLogin },
        { "{\"type\":\"login\",\"uname\":\"u\"}", "info", 513, ErrorCodes.InvalidLogin },
    };

    /// <summary>A message type, a payload with a control character in one field, and the refusal's code; for each kind of client.</summary>
    public static TheoryData<ClientKind, string, object, int> ControlCharacters
    {
        get
        {
            var data = new TheoryData<ClientKind, string, object, int>();
            foreach (var kind in new[] { ClientKind.Raw, ClientKind.Json, ClientKind.MessagePack })
            {
                data.Add(kind, "join", new { room = "房\u0001间" }, ErrorCodes.InvalidRoom);
                data.Add(kind, "join", new { room = "\u0000" }, ErrorCodes.InvalidRoom);
                data.Add(kind, "join", new { room = "房间\u007f" }, ErrorCodes.InvalidRoom);
                data.Add(kind, "login", new { uname = new string('\u0001', 512) }, ErrorCodes.InvalidLogin);
                data.Add(kind, "login", new { uname = "名", avatar = "https://img.example/a\u001f.png" }, ErrorCodes.InvalidLogin);
                data.Add(kind, "login", new { uname = "名", loginid = "uid\u0085" }, ErrorCodes.InvalidLogin);
                data.Add(kind, "login", new { uname = "名", info = "第一行\r\n第二行\t" }, ErrorCodes.InvalidLogin);
            }

            return data;
        }
    }

    [Theory]
    [MemberData(nameof(BadFrames))]
    public async Task A_bad_frame_is_answered_to_its_sender_alone_and_changes_nothing(string frame, int code)
    {
        await AssertRefusedAloneAsync(sender => sender.SendTextAsync(frame), code);
    }

    [Theory]
    [MemberData(nameof(TooLong))]
    public async Task A_field_over_its_length_limit_is_refused_to_its_sender_alone(string frame, string field, int length, int code)
    {
        var message = JsonNode.Parse(frame)!.AsObject();
        message[field] = new string('长', length);
        await AssertRefusedAloneAsync(sender => sender.SendTextAsync(message.ToJsonString()), code);
    }

    [Theory]
    [MemberData(nameof(ControlCharacters))]
    public async Task A_control_character_in_a_room_name_or_a_login_field_is_refused_to_its_sender_alone_and_changes_nothing(ClientKind kind, string type, object payload, int code)
    {
        var (sender, neighbour, room) = await TwoInARoomAsync(kind);
        await using (sender)
        await using (neighbour)
        {
            await sender.SendAsync(type, payload);

            WireAssert.Error(await sender.ReceiveAsync("error"), code);

            // Still in its room and anonymous: the danmu carries no login, and nobody is logged in.
            await AssertStillChattingAsync(sender, neighbour, room);
            await neighbour.SendAsync("userlist");
            WireAssert.Numbers(await neighbour.ReceiveAsync("userlist"), ("count", 0));
        }
    }

    [Fact]
    public async Task Fields_at_their_length_limits_are_accepted()
    {
        var room = new string('房', 128);
        var text = new string('字', 1000);
        var profile = new Profile(new string('名', 512), new string('a', 512), new string('i', 512), new string('介', 512));
        await using var client = await fixture.ConnectRawAsync();

        await client.SendAsync("join", new { room });
        WireAssert.Event(await client.ReceiveAsync("event"), "joinroom", client.Uid, usersCount: 1, loginedCount: 0);
        await client.LogInAsync(profile);
        WireAssert.Event(await client.ReceiveAsync("event"), "login", client.Uid, usersCount: 1, loginedCount: 1);
        await client.SendAsync("danmu", new { text });
        WireAssert.Chat(await client.ReceiveAsync("danmu"), "danmu", text, client, profile);
    }

    [Fact]
    public async Task A_binary_frame_is_answered_to_its_sender_alone_and_changes_nothing()
    {
        await AssertRefusedAloneAsync(sender => sender.SendBinaryAsync([0x7b, 0x7d]), ErrorCodes.BinaryFrame);
    }

    [Fact]
    public async Task A_1_MiB_frame_is_answered_to_its_sender_alone_as_too_large_and_changes_nothing()
    {
        await AssertRefusedAloneAsync(sender => sender.SendTextAsync(Danmu(1024 * 1024)), ErrorCodes.MessageTooLarge);
    }

    [Fact]
    public async Task A_frame_of_exactly_MaxMessageBytes_is_accepted_and_one_byte_more_is_refused()
    {
        await using var client = await fixture.ConnectRawAsync();

        await client.SendTextAsync(Hello(MaxMessageBytes));
        await client.ReceiveAsync("hello");
        await client.SendTextAsync(Hello(MaxMessageBytes + 1));
        WireAssert.Error(await client.ReceiveAsync("error"), ErrorCodes.MessageTooLarge);
        await client.AssertNothingPendingAsync();
    }

    [Theory]
    [InlineData(false, ErrorCodes.MessageTooLarge, WebSocketCloseStatus.MessageTooBig)]
    [InlineData(true, ErrorCodes.BinaryFrame, WebSocketCloseStatus.InvalidMessageType)]
    public async Task Three_oversize_or_binary_frames_in_a_row_are_each_refused_then_the_server_closes_the_socket(bool binary, int code, WebSocketCloseStatus status)
    {
        var (sender, neighbour, _) = await TwoInARoomAsync(ClientKind.Raw);
        var raw = (RawClient)sender;
        await using (sender)
        await using (neighbour)
        {
            for (var i = 0; i < 3; i++)
            {
                await (binary ? raw.SendBinaryAsync([1, 2, 3]) : raw.SendTextAsync(Danmu(1024 * 1024)));
                WireAssert.Error(await raw.ReceiveAsync("error"), code);
            }

            await raw.WaitClosedAsync();
            Assert.Equal(status, raw.CloseStatus);
            WireAssert.Event(await neighbour.ReceiveAsync("event"), "leaveroom", sender.Uid, usersCount: 1, loginedCount: 0);
            await neighbour.AssertNothingPendingAsync();
        }
    }

    [Fact]
    public async Task Refused_frames_separated_by_a_good_one_do_not_close_the_socket()
    {
        var (sender, neighbour, room) = await TwoInARoomAsync(ClientKind.Raw);
        var raw = (RawClient)sender;
        await using (sender)
        await using (neighbour)
        {
            foreach (var round in new[] { 1, 2 })
            {
                await raw.SendBinaryAsync([1, 2, 3]);
                WireAssert.Error(await raw.ReceiveAsync("error"), ErrorCodes.BinaryFrame);
                await raw.SendTextAsync(Danmu(1024 * 1024));
                WireAssert.Error(await raw.ReceiveAsync("error"), ErrorCodes.MessageTooLarge);
                await AssertStillChattingAsync(sender, neighbour, $"{room} 第{round}轮");
            }

            Assert.Null(raw.CloseStatus);
        }
    }

    [Theory]
    [MemberData(nameof(Kinds))]
    public async Task Danmu_text_and_leave_outside_a_room_are_refused_as_not_in_a_room(ClientKind kind)
    {
        await using var client = await fixture.ConnectAsync(kind);
        foreach (var type in new[] { "danmu", "text" })
        {
            await client.SendAsync(type, new { text = "无处可去" });
            WireAssert.Error(await client.ReceiveAsync("error"), ErrorCodes.NotInRoom);
        }

        await client.SendAsync("leave");
        WireAssert.Error(await client.ReceiveAsync("error"), ErrorCodes.NotInRoom);
        await client.AssertNothingPendingAsync();
    }

    [Theory]
    [InlineData(ClientKind.Json)]
    [InlineData(ClientKind.MessagePack)]
    public async Task SignalR_clients_get_refusals_as_error_messages_to_themselves_alone(ClientKind kind)
    {
        var (sender, neighbour, room) = await TwoInARoomAsync(kind);
        await using (sender)
        await using (neighbour)
        {
            (string Type, object Payload, int Code)[] refused =
            [
                ("danmu", new { text = "" }, ErrorCodes.InvalidText),
                ("text", new { text = new string('长', 1001) }, ErrorCodes.InvalidText),
                ("join", new { room = "" }, ErrorCodes.InvalidRoom),
                ("sendto", new { text = "x", touids = Array.Empty<string>() }, ErrorCodes.InvalidAddressees),
                ("setbadwords", "坏词=好词\r\n", ErrorCodes.Forbidden),
            ];
            foreach (var (type, payload, code) in refused)
            {
                await sender.SendAsync(type, payload);
                WireAssert.Error(await sender.ReceiveAsync("error"), code);
            }

            await AssertStillChattingAsync(sender, neighbour, room);
        }
    }

    [Theory]
    [MemberData(nameof(Kinds))]
    public async Task Setbadwords_from_a_non_admin_is_refused_and_leaves_the_word_list_unchanged(ClientKind kind)
    {
        var (sender, neighbour, _) = await TwoInARoomAsync(kind);
        await using (sender)
        await using (neighbour)
        {
            if (sender is RawClient raw)
            {
                await raw.SendTextAsync("setbadwords:\r\n坏词=好词\r\n");
            }
            else
            {
                await sender.SendAsync("setbadwords", "坏词=好词\r\n");
            }

            WireAssert.Error(await sender.ReceiveAsync("error"), ErrorCodes.Forbidden);
            await neighbour.AssertNothingPendingAsync();
            await sender.SendAsync("danmu", new { text = "这是坏词吗" });
            WireAssert.Chat(await neighbour.ReceiveAsync("danmu"), "danmu", "这是坏词吗", sender);
        }
    }

    [Theory]
    [MemberData(nameof(Kinds))]
    public async Task A_burst_of_20_all_goes_through_and_a_flood_beyond_the_rate_limit_is_refused_without_disturbing_others(ClientKind kind)
    {
        const int Sent = 50;
        var (sender, neighbour, _) = await TwoInARoomAsync(kind);
        await using (sender)
        await using (neighbour)
        {
            for (var i = 0; i < Sent; i++)
            {
                await sender.SendAsync("danmu", new { text = $"刷屏{i}" });
            }

            // Each danmu is answered by its echo or by an error. The echoes come in order; an error goes
            // straight to the sender, while the echoes travel through the room, so they may come between.
            var delivered = new List<string>();
            for (var i = 0; i < Sent; i++)
            {
                var reply = await sender.ReceiveAsync();
                if (reply.GetProperty("type").GetString() == "danmu")
                {
                    delivered.Add(reply.GetProperty("text").GetString()!);
                }
                else
                {
                    WireAssert.Error(reply, ErrorCodes.RateLimited);
                }
            }

            // The default bucket holds 30 and refills 10 a second: 50 back to back cannot all pass, the first 20 do.
            Assert.InRange(delivered.Count, 20, 40);
            var numbers = delivered.Select(static text => int.Parse(text["刷屏".Length..], CultureInfo.InvariantCulture)).ToList();
            Assert.Equal(numbers.Order(), numbers);
            Assert.Equal(Enumerable.Range(0, 20), numbers.Take(20));
            foreach (var text in delivered)
            {
                WireAssert.Chat(await neighbour.ReceiveAsync("danmu"), "danmu", text, sender);
            }

            await neighbour.AssertNothingPendingAsync();
        }
    }

    [Fact]
    public async Task A_flood_of_malformed_frames_is_rate_limited_like_a_flood_of_danmu_without_disturbing_others()
    {
        const int Sent = 50;
        var (sender, neighbour, room) = await TwoInARoomAsync(ClientKind.Raw);
        await using (sender)
        await using (neighbour)
        {
            var raw = (RawClient)sender;
            for (var i = 0; i < Sent; i++)
            {
                await raw.SendTextAsync("{\"type\":\"danmu\",");
            }

            // Each frame takes a token as a message would: once the bucket is empty the answer is the rate limit.
            var malformed = 0;
            for (var i = 0; i < Sent; i++)
            {
                var reply = await sender.ReceiveAsync("error");
                if (reply.GetProperty("code").GetInt32() == ErrorCodes.MalformedJson)
                {
                    malformed++;
                }
                else
                {
                    WireAssert.Error(reply, ErrorCodes.RateLimited);
                }
            }

            // The default bucket holds 30 and refills 10 a second; joining took one.
            Assert.InRange(malformed, 20, 40);

            // The neighbour's own bucket is untouched: it chats on, and the flooder still hears the room.
            var text = "照常 " + room;
            await neighbour.SendAsync("danmu", new { text });
            WireAssert.Chat(await neighbour.ReceiveAsync("danmu"), "danmu", text, neighbour);
            WireAssert.Chat(await sender.ReceiveAsync("danmu"), "danmu", text, neighbour);
        }
    }

    /// <summary>
    /// Sends something bad from a raw client in a room; it alone gets the error, its neighbour sees
    /// nothing, and it is still in the room, able to chat.
    /// </summary>
    private async Task AssertRefusedAloneAsync(Func<RawClient, Task> send, int code)
    {
        var (sender, neighbour, room) = await TwoInARoomAsync(ClientKind.Raw);
        await using (sender)
        await using (neighbour)
        {
            await send((RawClient)sender);

            WireAssert.Error(await sender.ReceiveAsync("error"), code);
            await AssertStillChattingAsync(sender, neighbour, room);
        }
    }

    private async Task<(IChatClient Sender, RawClient Neighbour, string Room)> TwoInARoomAsync(ClientKind senderKind)
    {
        var room = SingleNodeFixture.NewRoom();
        var neighbour = await fixture.ConnectRawAsync();
        var sender = await fixture.ConnectAsync(senderKind);
        await ChatClients.JoinAllAsync(room, neighbour, sender);
        return (sender, neighbour, room);
    }

    /// <summary>The neighbour saw nothing of the bad input, and the sender is still in its room, chatting.</summary>
    private static async Task AssertStillChattingAsync(IChatClient sender, RawClient neighbour, string room)
    {
        await neighbour.AssertNothingPendingAsync();
        var text = "还在 " + room;
        await sender.SendAsync("danmu", new { text });
        WireAssert.Chat(await neighbour.ReceiveAsync("danmu"), "danmu", text, sender);
        WireAssert.Chat(await sender.ReceiveAsync("danmu"), "danmu", text, sender);
        await sender.AssertNothingPendingAsync();
    }

    /// <summary>A danmu frame of exactly <paramref name="bytes"/> bytes.</summary>
    private static string Danmu(int bytes) => Pad("{\"type\":\"danmu\",\"text\":\"x\"}", bytes);

    /// <summary>A hello frame padded with JSON whitespace to exactly <paramref name="bytes"/> bytes.</summary>
    private static string Hello(int bytes) => Pad("{\"type\":\"hello\"}", bytes);

    private static string Pad(string json, int bytes) => json + new string(' ', bytes - json.Length);
}
