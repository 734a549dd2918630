using System.Net;
using System.Text.Json;
using Wschat.Contracts;
using Wschat.Tests.EndToEnd;
using Wschat.Tests.Infrastructure;

namespace Wschat.Tests.Api;

/// <summary>The HTTP API on one node: keys, problem details, the OpenAPI document, rooms, silence and the word list.</summary>
public sealed class ApiTests(ApiTests.Fixture fixture) : IClassFixture<ApiTests.Fixture>
{
    private HubNode Node => fixture.Node;

    [Theory]
    [InlineData(null)]
    [InlineData("wrong-key")]
    [InlineData("api-tests-admin")]
    public async Task Without_a_valid_API_key_every_endpoint_answers_401_with_a_problem(string? key)
    {
        using var api = new ApiClient(Node, key);

        var response = await api.PostAsync("/api/rooms/r/messages", new { type = "danmu", text = "x" });
        await ApiClient.ExpectProblemAsync(response, HttpStatusCode.Unauthorized);
        Assert.Contains("Bearer", response.Headers.WwwAuthenticate.ToString(), StringComparison.Ordinal);
        await ApiClient.ExpectProblemAsync(await api.GetAsync("/api/rooms"), HttpStatusCode.Unauthorized);
        await ApiClient.ExpectProblemAsync(await api.GetAsync("/api/badwords"), HttpStatusCode.Unauthorized);
    }

    public static TheoryData<string, string, string, string> BadInput => new()
    {
        { "POST", "/api/rooms/r/messages", """{"type":"shout","text":"x"}""", "type" },
        { "POST", "/api/rooms/r/messages", """{"type":"danmu","text":""}""", "text" },
        { "POST", "/api/rooms/r/messages", """{"type":"danmu"}""", "text" },
        { "POST", "/api/rooms/r/messages", $$"""{"type":"text","text":"{{new string('x', 1001)}}"}""", "text" },
        { "POST", "/api/rooms/r%01/messages", """{"type":"danmu","text":"x"}""", "room" },
        { "POST", "/api/rooms/r/messages", """{"type":"danmu","text":"x","username":"a\u0001b"}""", "username" },
        { "POST", "/api/users/abc/messages", """{"text":"x"}""", "uid" },
        { "POST", "/api/users/-5/messages", """{"text":"x"}""", "uid" },
        { "GET", "/api/rooms?limit=0", "", "limit" },
        { "GET", "/api/rooms?limit=1001", "", "limit" },
        { "GET", "/api/rooms?cursor=%25%25", "", "cursor" },
        { "GET", "/api/rooms/r/history?since=-1", "", "since" },
        { "GET", "/api/rooms/r/history?limit=0", "", "limit" },
        { "DELETE", "/api/rooms/r/members/x1", "", "uid" },
        { "POST", "/api/rooms/r/mutes", """{"uid":5}""", "seconds" },
        { "POST", "/api/rooms/r/mutes", """{"uid":0,"seconds":5}""", "uid" },
        { "POST", "/api/rooms/r/mutes", """{"seconds":5}""", "uid" },
        { "POST", "/api/rooms/r/mutes", """{"uid":5,"seconds":31536001}""", "seconds" },
        { "POST", "/api/rooms/r/mutes", """{"userId":"someone","seconds":5}""", "userId" },
        { "DELETE", "/api/rooms/r/members/5?banSeconds=0", "", "banSeconds" },
        { "POST", "/api/rooms/r/bans", """{"seconds":5}""", "userId" },
        { "POST", "/api/rooms/r/bans", """{"userId":"someone","seconds":5}""", "userId" },
        { "POST", "/api/rooms/r/bans", """{"ip":"not-an-address","seconds":5}""", "ip" },
        { "POST", "/api/rooms/r/bans", """{"ip":"10.1","seconds":5}""", "ip" },
        { "POST", "/api/rooms/r/bans", """{"ip":"10.0.0.1"}""", "seconds" },
        { "POST", "/api/rooms/r/bans", """{"ip":"10.0.0.1","seconds":31536001}""", "seconds" },
        { "POST", "/api/rooms/r%01/bans", """{"ip":"10.0.0.1","seconds":5}""", "room" },
        { "GET", "/api/rooms/r/bans?ip=nope", "", "ip" },
        { "PUT", "/api/rooms/r/silence", "{}", "silenced" },
        { "PUT", "/api/badwords", "{}", "rules" },
        { "PUT", "/api/badwords", """{"rules":"no equals sign"}""", "rules" },
    };

    [Theory]
    [MemberData(nameof(BadInput))]
    public async Task Bad_input_is_a_validation_problem_naming_the_field(string method, string path, string body, string field)
    {
        using var api = new ApiClient(Node);

        var response = method == "GET" ? await api.GetAsync(path) : await api.SendRawAsync(new HttpMethod(method), path, body);

        var problem = await ApiClient.ExpectProblemAsync(response, HttpStatusCode.BadRequest);
        Assert.True(problem.GetProperty("errors").TryGetProperty(field, out _), $"no error for {field} in {problem}");
    }

    [Theory]
    [InlineData("{not json")]
    [InlineData("[1,2]")]
    [InlineData("")]
    public async Task A_body_that_is_not_the_JSON_object_expected_is_a_400_problem(string body)
    {
        using var api = new ApiClient(Node);

        await ApiClient.ExpectProblemAsync(await api.SendRawAsync(HttpMethod.Post, "/api/rooms/r/messages", body), HttpStatusCode.BadRequest);
        await ApiClient.ExpectProblemAsync(await api.SendRawAsync(HttpMethod.Post, "/api/rooms/r/messages", """{"type":"danmu","text":"x"}""", "text/plain"), HttpStatusCode.UnsupportedMediaType);
    }

    [Fact]
    public async Task A_private_message_to_a_uid_nobody_has_is_a_404_problem()
    {
        using var api = new ApiClient(Node);

        await ApiClient.ExpectProblemAsync(await api.PostAsync("/api/users/123456789/messages", new { text = "hi" }), HttpStatusCode.NotFound);
        await ApiClient.ExpectProblemAsync(await api.DeleteAsync("/api/rooms/r/members/123456789"), HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task A_node_without_Redis_lists_itself_alone_as_the_cluster()
    {
        using var api = new ApiClient(Node);

        var reply = await ApiClient.ExpectAsync(await api.GetAsync("/api/nodes"), HttpStatusCode.OK);

        var node = Assert.Single(reply.GetProperty("nodes").EnumerateArray());
        Assert.True(node.GetProperty("thisNode").GetBoolean());
        Assert.True(node.GetProperty("alive").GetBoolean());
        Assert.Equal(JsonValueKind.Null, node.GetProperty("leaseLeftMs").ValueKind);
        Assert.False(reply.GetProperty("redisConnected").GetBoolean());
    }

    [Fact]
    public async Task The_OpenAPI_document_is_served_and_lists_every_endpoint()
    {
        using var http = new HttpClient { BaseAddress = Node.BaseUri };

        var document = await ApiClient.ExpectAsync(await http.GetAsync("/openapi/v1.json"), HttpStatusCode.OK);

        var paths = document.GetProperty("paths");
        foreach (var (path, method) in new[]
        {
            ("/api/rooms/{room}/messages", "post"), ("/api/users/{uid}/messages", "post"), ("/api/rooms", "get"),
            ("/api/rooms/{room}", "get"), ("/api/rooms/{room}/history", "get"), ("/api/rooms/{room}/members/{uid}", "delete"),
            ("/api/rooms/{room}/mutes", "post"), ("/api/rooms/{room}/silence", "put"), ("/api/badwords", "get"), ("/api/badwords", "put"),
            ("/api/nodes", "get"), ("/api/rooms/{room}/bans", "post"), ("/api/rooms/{room}/bans", "get"), ("/api/rooms/{room}/bans/{id}", "delete"),
        })
        {
            Assert.True(paths.TryGetProperty(path, out var item) && item.TryGetProperty(method, out _), $"{method} {path} missing from the OpenAPI document");
        }
    }

    [Fact]
    public async Task A_room_message_reaches_raw_and_SignalR_members_filtered_and_is_in_the_history_at_its_offset()
    {
        var room = SingleNodeFixture.NewRoom();
        await using var raw = await RawClient.ConnectAsync(Node.RawUri);
        await using var signalR = await ChatClients.ConnectAsync(Node, ClientKind.Json);
        await ChatClients.JoinAllAsync(room, raw, signalR);
        using var api = new ApiClient(Node);

        var first = await ApiClient.ExpectAsync(await api.PostAsync($"/api/rooms/{Uri.EscapeDataString(room)}/messages", new { type = "danmu", text = "公告🎉", username = "系统", avatar = "a.png" }), HttpStatusCode.OK);
        var second = await ApiClient.ExpectAsync(await api.PostAsync($"/api/rooms/{Uri.EscapeDataString(room)}/messages", new { type = "text", text = "欢迎" }), HttpStatusCode.OK);

        foreach (var member in new IChatClient[] { raw, signalR })
        {
            var danmu = await member.ReceiveAsync("danmu");
            WireAssert.Shape(danmu, "danmu", WireAssert.AnonymousChatFields);
            WireAssert.Strings(danmu, ("text", "公告🎉"), ("uid", "0"), ("username", "系统"), ("avatar", "a.png"));
            WireAssert.Strings(await member.ReceiveAsync("text"), ("text", "欢迎"), ("uid", "0"));
        }

        var epoch = first.GetProperty("epoch").GetString();
        Assert.False(string.IsNullOrEmpty(epoch));
        Assert.Equal(epoch, second.GetProperty("epoch").GetString());
        var offset = first.GetProperty("offset").GetInt64();
        Assert.Equal(offset + 1, second.GetProperty("offset").GetInt64());

        var history = await ApiClient.ExpectAsync(await api.GetAsync($"/api/rooms/{Uri.EscapeDataString(room)}/history?since={offset - 1}&limit=10"), HttpStatusCode.OK);
        Assert.Equal(epoch, history.GetProperty("epoch").GetString());
        var messages = history.GetProperty("messages").EnumerateArray().ToArray();
        Assert.Equal([offset, offset + 1], messages.Select(static m => m.GetProperty("offset").GetInt64()));
        WireAssert.Strings(messages[0], ("type", "danmu"), ("text", "公告🎉"), ("username", "系统"));
        WireAssert.Strings(messages[1], ("type", "text"), ("text", "欢迎"));
        var after = await ApiClient.ExpectAsync(await api.GetAsync($"/api/rooms/{Uri.EscapeDataString(room)}/history?since={offset}&epoch={epoch}"), HttpStatusCode.OK);
        Assert.Equal([offset + 1], after.GetProperty("messages").EnumerateArray().Select(static m => m.GetProperty("offset").GetInt64()));
    }

    [Fact]
    public async Task Joins_leaves_logins_and_logouts_are_not_history_a_room_keeps_only_its_danmu_and_text_numbered_from_1()
    {
        var room = SingleNodeFixture.NewRoom();
        var path = $"/api/rooms/{Uri.EscapeDataString(room)}/history";
        await using var host = await RawClient.ConnectAsync(Node.RawUri);
        await using var viewer = await RawClient.ConnectAsync(Node.RawUri);
        await ChatClients.JoinAllAsync(room, host, viewer);
        await viewer.SendAsync("login", new { uname = "观众", avatar = "", loginid = "v1", info = "" });
        await viewer.SendAsync("logout");
        await viewer.SendAsync("leave");
        await host.ReceiveSkippingAsync("event", e => e.GetProperty("event").GetString() == "leaveroom");
        using var api = new ApiClient(Node);

        var membershipOnly = await ApiClient.ExpectAsync(await api.GetAsync(path), HttpStatusCode.OK);
        Assert.Equal("", membershipOnly.GetProperty("epoch").GetString());
        Assert.Equal(0, membershipOnly.GetProperty("lastOffset").GetInt64());
        Assert.Empty(membershipOnly.GetProperty("messages").EnumerateArray());

        await host.SendAsync("danmu", new { text = "开播" });
        await host.ReceiveSkippingAsync("danmu");
        await viewer.JoinAsync(room);
        await host.SendAsync("text", new { text = "欢迎" });
        await host.ReceiveSkippingAsync("text");

        var kept = await ApiClient.ExpectAsync(await api.GetAsync(path), HttpStatusCode.OK);
        Assert.Equal(2, kept.GetProperty("lastOffset").GetInt64());
        var messages = kept.GetProperty("messages").EnumerateArray().ToArray();
        Assert.Equal([(1L, "danmu"), (2L, "text")], messages.Select(static m => (m.GetProperty("offset").GetInt64(), m.GetProperty("type").GetString()!)));
        await host.SendAsync("history", new { });
        var reply = await host.ReceiveSkippingAsync("history");
        Assert.Equal(2, reply.GetProperty("offset").GetInt64());
        Assert.Equal(kept.GetProperty("epoch").GetString(), reply.GetProperty("epoch").GetString());
    }

    [Fact]
    public async Task A_room_shows_its_counts_and_logged_in_users_and_is_listed_page_by_page()
    {
        var room = SingleNodeFixture.NewRoom();
        await using var anonymous = await RawClient.ConnectAsync(Node.RawUri);
        await using var member = await RawClient.ConnectAsync(Node.RawUri);
        await ChatClients.JoinAllAsync(room, anonymous, member);
        var profile = Profile.Of("接口");
        await member.LogInAsync(profile, [anonymous, member], loginedCount: 1);
        using var api = new ApiClient(Node);

        var detail = await ApiClient.ExpectAsync(await api.GetAsync($"/api/rooms/{Uri.EscapeDataString(room)}"), HttpStatusCode.OK);
        Assert.Equal(2, detail.GetProperty("usersCount").GetInt32());
        Assert.Equal(1, detail.GetProperty("loginedCount").GetInt32());
        var user = Assert.Single(detail.GetProperty("users").EnumerateArray());
        Assert.Equal(member.Uid, user.GetProperty("uid").GetInt64());
        Assert.Equal(profile.Uname, user.GetProperty("username").GetString());

        // One room a page: every room shows up once, in order, ours with its counts.
        var seen = new List<string>();
        string? cursor = null;
        do
        {
            var page = await ApiClient.ExpectAsync(await api.GetAsync("/api/rooms?limit=1" + (cursor is null ? "" : "&cursor=" + cursor)), HttpStatusCode.OK);
            foreach (var listed in page.GetProperty("rooms").EnumerateArray())
            {
                seen.Add(listed.GetProperty("room").GetString()!);
                if (seen[^1] == room)
                {
                    Assert.Equal(2, listed.GetProperty("usersCount").GetInt32());
                    Assert.Equal(1, listed.GetProperty("loginedCount").GetInt32());
                }
            }

            cursor = page.GetProperty("nextCursor").GetString();
        }
        while (cursor is not null);

        Assert.Contains(room, seen);
        Assert.Equal(seen.Order(StringComparer.Ordinal), seen);
        Assert.Equal(seen.Distinct(), seen);
    }

    [Fact]
    public async Task A_silenced_room_takes_danmu_and_text_from_admins_only_until_the_silence_is_lifted()
    {
        var room = SingleNodeFixture.NewRoom();
        await using var viewer = await RawClient.ConnectAsync(Node.RawUri);
        await using var admin = await RawClient.ConnectAsync(new Uri(Node.RawUri, "?access_token=api-tests-admin"));
        await ChatClients.JoinAllAsync(room, viewer, admin);
        using var api = new ApiClient(Node);
        var silence = $"/api/rooms/{Uri.EscapeDataString(room)}/silence";

        var silenced = await ApiClient.ExpectAsync(await api.PutAsync(silence, new { silenced = true }), HttpStatusCode.OK);
        Assert.True(silenced.GetProperty("silenced").GetBoolean());
        await viewer.SendAsync("danmu", new { text = "能说话吗" });
        WireAssert.Error(await viewer.ReceiveAsync("error"), ErrorCodes.RoomSilenced);
        await viewer.SendAsync("text", new { text = "能说话吗" });
        WireAssert.Error(await viewer.ReceiveAsync("error"), ErrorCodes.RoomSilenced);
        await admin.SendAsync("danmu", new { text = "管理员发言" });
        Assert.Equal("管理员发言", (await viewer.ReceiveAsync("danmu")).GetProperty("text").GetString());
        await admin.ReceiveAsync("danmu");

        await ApiClient.ExpectAsync(await api.PutAsync(silence, new { silenced = false }), HttpStatusCode.OK);
        await viewer.SendAsync("danmu", new { text = "又能说话了" });
        Assert.Equal("又能说话了", (await admin.ReceiveAsync("danmu")).GetProperty("text").GetString());
    }

    [Fact]
    public async Task The_word_list_read_and_replaced_through_the_API_is_the_one_clients_are_filtered_by()
    {
        var room = SingleNodeFixture.NewRoom();
        await using var member = await RawClient.ConnectAsync(Node.RawUri);
        await member.JoinAsync(room);
        using var api = new ApiClient(Node);
        var word = "违禁" + Guid.NewGuid().ToString("N")[..6];
        var rules = $"{word}=**";

        Assert.Equal(rules, (await ApiClient.ExpectAsync(await api.PutAsync("/api/badwords", new { rules }), HttpStatusCode.OK)).GetProperty("rules").GetString());
        Assert.Equal(rules, (await ApiClient.ExpectAsync(await api.GetAsync("/api/badwords"), HttpStatusCode.OK)).GetProperty("rules").GetString());

        await member.SendAsync("danmu", new { text = $"说{word}了" });
        Assert.Equal("说**了", (await member.ReceiveAsync("danmu")).GetProperty("text").GetString());
        await ApiClient.ExpectAsync(await api.PostAsync($"/api/rooms/{Uri.EscapeDataString(room)}/messages", new { type = "danmu", text = word }), HttpStatusCode.OK);
        Assert.Equal("**", (await member.ReceiveAsync("danmu")).GetProperty("text").GetString());
    }

    public sealed class Fixture : IAsyncLifetime
    {
        public HubNode Node { get; private set; } = null!;

        public async Task InitializeAsync() => Node = await HubNode.StartAsync(settings: ApiClient.Settings);

        public async Task DisposeAsync() => await Node.DisposeAsync();
    }
}
