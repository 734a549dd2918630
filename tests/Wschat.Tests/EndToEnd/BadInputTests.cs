using System.Net.WebSockets;
using System.Text.Json;
using Wschat.Contracts;
using Wschat.RawAdapter.Protocol;
using Wschat.Tests.Infrastructure;

namespace Wschat.Tests.EndToEnd;

/// <summary>Every bad input is answered to its sender alone; nobody else notices and nothing is lost.</summary>
public sealed class BadInputTests(SingleNodeFixture fixture) : IClassFixture<SingleNodeFixture>
{
    public static TheoryData<string, int> BadFrames => new()
    {
        { "not json at all", WschatErrorCodes.MalformedJson },
        { "{\"type\":\"danmu\",\"text\":", WschatErrorCodes.MalformedJson },
        { "{\"type\":\"hello\"} trailing", WschatErrorCodes.MalformedJson },
        { "", WschatErrorCodes.MalformedJson },
        { "[1,2]", WschatErrorCodes.NotAMessage },
        { "\"danmu\"", WschatErrorCodes.NotAMessage },
        { "5", WschatErrorCodes.NotAMessage },
        { "{\"text\":\"no type\"}", WschatErrorCodes.NotAMessage },
        { "{\"type\":5}", WschatErrorCodes.NotAMessage },
        { "{\"type\":\"fly\"}", WschatErrorCodes.UnknownType },
        { "{\"type\":\"danmu\"}", WschatErrorCodes.InvalidFields },
        { "{\"type\":\"danmu\",\"text\":5}", WschatErrorCodes.InvalidFields },
        { "{\"type\":\"danmu\",\"text\":null}", WschatErrorCodes.InvalidFields },
        { "{\"type\":\"join\",\"room\":[\"r\"]}", WschatErrorCodes.InvalidFields },
        { "{\"type\":\"sendto\",\"text\":\"x\",\"touids\":{}}", WschatErrorCodes.InvalidFields },
        { "{\"type\":\"login\",\"avatar\":\"no uname\"}", WschatErrorCodes.InvalidFields },
        { "{\"type\":\"danmu\",\"text\":\"\"}", ErrorCodes.InvalidText },
        { "{\"type\":\"join\",\"room\":\"\"}", ErrorCodes.InvalidRoom },
        { "{\"type\":\"sendto\",\"text\":\"x\",\"touids\":[]}", ErrorCodes.InvalidAddressees },
        { "{\"type\":\"sendto\",\"text\":\"x\",\"touids\":\"abc\"}", ErrorCodes.InvalidAddressees },
        { "setbadwords:\r\nx=y\r\n", ErrorCodes.Forbidden },
    };

    [Theory]
    [MemberData(nameof(BadFrames))]
    public async Task A_bad_frame_gets_an_error_for_its_sender_alone_and_changes_nothing(string frame, int code)
    {
        var (sender, neighbour, room) = await TwoInARoomAsync();
        await using (sender)
        await using (neighbour)
        {
            await sender.SendTextAsync(frame);

            AssertError(await sender.ReceiveAsync("error"), code);
            await AssertStillChattingAsync(sender, neighbour, room);
        }
    }

    [Fact]
    public async Task Danmu_text_and_leave_outside_a_room_are_refused()
    {
        await using var client = await RawClient.ConnectAsync(fixture.Node.RawUri);
        foreach (var type in new[] { "danmu", "text" })
        {
            await client.SendAsync(type, new { text = "无处可去" });
            AssertError(await client.ReceiveAsync("error"), ErrorCodes.NotInRoom);
        }

        await client.SendAsync("leave");
        AssertError(await client.ReceiveAsync("error"), ErrorCodes.NotInRoom);
    }

    [Fact]
    public async Task Text_longer_than_the_limit_is_refused()
    {
        var (sender, neighbour, room) = await TwoInARoomAsync();
        await using (sender)
        await using (neighbour)
        {
            await sender.SendAsync("danmu", new { text = new string('长', 1001) });
            AssertError(await sender.ReceiveAsync("error"), ErrorCodes.InvalidText);
            await AssertStillChattingAsync(sender, neighbour, room);
        }
    }

    [Theory]
    [InlineData(ClientKind.Json)]
    [InlineData(ClientKind.MessagePack)]
    public async Task SignalR_clients_get_the_same_refusals_as_error_messages(ClientKind kind)
    {
        await using var client = await fixture.ConnectAsync(kind);
        await client.SendAsync("danmu", new { text = "不在房间" });
        AssertError(await client.ReceiveAsync("error"), ErrorCodes.NotInRoom);
        await client.SendAsync("setbadwords", "x=y\r\n");
        AssertError(await client.ReceiveAsync("error"), ErrorCodes.Forbidden);
    }

    [Fact]
    public async Task Binary_and_oversize_frames_are_refused_and_a_client_that_keeps_sending_them_is_closed()
    {
        var (sender, neighbour, room) = await TwoInARoomAsync();
        await using (sender)
        await using (neighbour)
        {
            await sender.SendBinaryAsync([1, 2, 3]);
            AssertError(await sender.ReceiveAsync("error"), WschatErrorCodes.BinaryFrame);
            await sender.SendTextAsync(new string('x', 1024 * 1024));
            AssertError(await sender.ReceiveAsync("error"), WschatErrorCodes.MessageTooLarge);
            await AssertStillChattingAsync(sender, neighbour, room);

            for (var i = 0; i < 3; i++)
            {
                await sender.SendTextAsync(new string('y', 1024 * 1024));
            }

            await sender.WaitClosedAsync();
            Assert.Equal(WebSocketCloseStatus.MessageTooBig, sender.CloseStatus);
            RoomTests.AssertEvent(await neighbour.ReceiveAsync("event"), "leaveroom", sender.Uid, usersCount: 1, loginedCount: 0);
        }
    }

    [Fact]
    public async Task A_burst_of_20_is_allowed_and_a_flood_beyond_the_rate_limit_is_refused_without_disturbing_others()
    {
        var (sender, neighbour, room) = await TwoInARoomAsync();
        await using (sender)
        await using (neighbour)
        {
            for (var i = 0; i < 50; i++)
            {
                await sender.SendAsync("danmu", new { text = $"刷屏{i}" });
            }

            var replies = new List<JsonElement>();
            for (var i = 0; i < 50; i++)
            {
                replies.Add(await sender.ReceiveAsync());
            }

            var delivered = replies.Where(static r => r.GetProperty("type").GetString() == "danmu").ToList();
            Assert.True(delivered.Count >= 20, $"only {delivered.Count} of a burst of 20 went through");
            Assert.Equal(Enumerable.Range(0, 20).Select(static i => $"刷屏{i}"), delivered.Take(20).Select(static d => d.GetProperty("text").GetString()));
            Assert.Contains(replies, static r => r.GetProperty("type").GetString() == "error" && r.GetProperty("code").GetInt32() == ErrorCodes.RateLimited);
            for (var i = 0; i < delivered.Count; i++)
            {
                await neighbour.ReceiveAsync("danmu");
            }

            await neighbour.AssertNothingPendingAsync();
        }
    }

    private async Task<(RawClient Sender, RawClient Neighbour, string Room)> TwoInARoomAsync()
    {
        var room = SingleNodeFixture.NewRoom();
        var neighbour = await RawClient.ConnectAsync(fixture.Node.RawUri);
        var sender = await RawClient.ConnectAsync(fixture.Node.RawUri);
        await neighbour.JoinAsync(room);
        await sender.JoinAsync(room);
        await neighbour.ReceiveAsync("event");
        return (sender, neighbour, room);
    }

    /// <summary>The neighbour saw nothing of the bad input, and the sender is still in its room.</summary>
    private static async Task AssertStillChattingAsync(RawClient sender, RawClient neighbour, string room)
    {
        await neighbour.AssertNothingPendingAsync();
        await sender.SendAsync("danmu", new { text = "还在 " + room });
        Assert.Equal("还在 " + room, (await neighbour.ReceiveAsync("danmu")).GetProperty("text").GetString());
        await sender.ReceiveAsync("danmu");
    }

    private static void AssertError(JsonElement error, int code)
    {
        Assert.Equal(JsonValueKind.Number, error.GetProperty("code").ValueKind);
        Assert.Equal(code, error.GetProperty("code").GetInt32());
        Assert.Equal(JsonValueKind.String, error.GetProperty("msg").ValueKind);
        Assert.False(string.IsNullOrWhiteSpace(error.GetProperty("msg").GetString()));
    }
}
