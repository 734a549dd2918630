using System.Text.Json;
using Wschat.Tests.Infrastructure;

namespace Wschat.Tests.EndToEnd;

/// <summary>
/// Assertions on wschat messages as the contract spells them: the exact set of fields, the JSON
/// kind of each (on a raw client that is the wire itself) and the values.
/// </summary>
internal static class WireAssert
{
    /// <summary>Every test client connects from here, so every <c>ip</c> is this.</summary>
    public const string LocalIp = "127.0.0.1";

    public static readonly string[] MembershipEventFields = ["event", "uid", "userscount", "loginedcount", "ip"];
    public static readonly string[] LoginEventFields = [.. MembershipEventFields, "username", "avatar", "time", "userid", "userinfo"];
    public static readonly string[] LogoutEventFields = [.. MembershipEventFields, "username"];
    public static readonly string[] AnonymousChatFields = ["text", "uid", "avatar", "username"];
    public static readonly string[] LoggedInChatFields = [.. AnonymousChatFields, "userid", "userinfo"];
    public static readonly string[] UserListEntryFields = ["uid", "ip", "time", "avatar", "userid", "userinfo", "username"];

    /// <summary>The message is of <paramref name="type"/> and has exactly <paramref name="fields"/> besides <c>type</c>.</summary>
    public static void Shape(JsonElement message, string? type, params IEnumerable<string> fields)
    {
        Assert.Equal(JsonValueKind.Object, message.ValueKind);
        var expected = new SortedSet<string>(fields, StringComparer.Ordinal);
        if (type is not null)
        {
            Strings(message, ("type", type));
            expected.Add("type");
        }

        Assert.Equal(expected, new SortedSet<string>(message.EnumerateObject().Select(static f => f.Name), StringComparer.Ordinal));
    }

    /// <summary>Each field is a JSON string with the given value.</summary>
    public static void Strings(JsonElement message, params (string Name, string Value)[] fields)
    {
        foreach (var (name, value) in fields)
        {
            Assert.True(message.TryGetProperty(name, out var field), $"missing \"{name}\" in {message}");
            Assert.True(field.ValueKind == JsonValueKind.String, $"\"{name}\" is a {field.ValueKind}, not a string, in {message}");
            Assert.Equal(value, field.GetString());
        }
    }

    /// <summary>Each field is a JSON number with the given value.</summary>
    public static void Numbers(JsonElement message, params (string Name, long Value)[] fields)
    {
        foreach (var (name, value) in fields)
        {
            Assert.True(message.TryGetProperty(name, out var field), $"missing \"{name}\" in {message}");
            Assert.True(field.ValueKind == JsonValueKind.Number, $"\"{name}\" is a {field.ValueKind}, not a number, in {message}");
            Assert.Equal(value, field.GetInt64());
        }
    }

    /// <summary>An <c>event</c> of <paramref name="eventName"/> about <paramref name="uid"/>, with exactly that event's fields.</summary>
    public static void Event(JsonElement message, string eventName, long uid, int usersCount, int loginedCount)
    {
        Shape(message, "event", eventName switch
        {
            "login" => LoginEventFields,
            "logout" => LogoutEventFields,
            _ => MembershipEventFields,
        });
        Strings(message, ("event", eventName), ("ip", LocalIp));
        Numbers(message, ("uid", uid), ("userscount", usersCount), ("loginedcount", loginedCount));
    }

    /// <summary>Each of <paramref name="members"/> receives the event as its very next message.</summary>
    public static async Task EventReachesAsync(IEnumerable<IChatClient> members, string eventName, long uid, int usersCount, int loginedCount)
    {
        foreach (var member in members)
        {
            Event(await member.ReceiveAsync("event"), eventName, uid, usersCount, loginedCount);
        }
    }

    /// <summary>
    /// A <c>danmu</c>, <c>text</c> or <c>sendto</c> from <paramref name="sender"/>: uid as a string,
    /// avatar and username from its login (empty strings without one); text and sendto add userid and
    /// userinfo only when the sender is logged in.
    /// </summary>
    public static void Chat(JsonElement message, string type, string text, IChatClient sender, Profile? login = null)
    {
        Shape(message, type, login is null || type == "danmu" ? AnonymousChatFields : LoggedInChatFields);
        Strings(message, ("text", text), ("uid", sender.UidText), ("avatar", login?.Avatar ?? ""), ("username", login?.Uname ?? ""));
        if (login is not null && type != "danmu")
        {
            Strings(message, ("userid", login.LoginId), ("userinfo", login.Info));
        }
    }

    /// <summary><c>{"type":"error","code":code,"msg":"…"}</c> with a number code and a non-empty reason.</summary>
    public static void Error(JsonElement message, int code)
    {
        Shape(message, "error", "code", "msg");
        Numbers(message, ("code", code));
        Assert.False(string.IsNullOrWhiteSpace(message.GetProperty("msg").GetString()), $"an empty reason in {message}");
    }

    /// <summary><c>{"type":T,"result":"success"}</c>: the reply to login and logout.</summary>
    public static void Success(JsonElement message, string type)
    {
        Shape(message, type, "result");
        Strings(message, ("result", "success"));
    }
}
