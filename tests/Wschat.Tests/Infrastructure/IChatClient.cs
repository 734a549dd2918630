using System.Text.Json;

namespace Wschat.Tests.Infrastructure;

/// <summary>The kinds of client a user can bring: raw wschat, or SignalR over JSON or MessagePack.</summary>
public enum ClientKind
{
    Raw,
    Json,
    MessagePack,
}

/// <summary>What every kind of client does in a test: send a message type with its payload, receive messages as <c>{"type":T,...}</c>.</summary>
public interface IChatClient : IAsyncDisposable
{
    long Uid { get; }

    Task SendAsync(string type, object? payload = null);

    /// <summary>The next message; fails if it is not of <paramref name="type"/> or does not come within <paramref name="within"/>.</summary>
    Task<JsonElement> ReceiveAsync(string? type = null, TimeSpan? within = null);
}

public static class ChatClients
{
    extension(IChatClient client)
    {
        /// <summary>The uid as danmu, text, sendto and userlist carry it: a string of digits.</summary>
        public string UidText => client.Uid.ToString(System.Globalization.CultureInfo.InvariantCulture);
    }

    public static readonly TheoryData<ClientKind> Kinds = new() { ClientKind.Raw, ClientKind.Json, ClientKind.MessagePack };

    public static async Task<IChatClient> ConnectAsync(HubNode node, ClientKind kind) => kind switch
    {
        ClientKind.Raw => await RawClient.ConnectAsync(node.RawUri),
        ClientKind.Json => await SignalRClient.ConnectAsync(node.HubUri, HubProtocolKind.Json),
        _ => await SignalRClient.ConnectAsync(node.HubUri, HubProtocolKind.MessagePack),
    };

    /// <summary>
    /// A client whose address, as a trusted proxy in front of the node (<c>Wschat:TrustedProxies:0=127.0.0.1</c>)
    /// forwards it, is <paramref name="address"/>; an admin connection with <paramref name="adminToken"/>.
    /// </summary>
    public static async Task<IChatClient> ConnectFromAsync(HubNode node, ClientKind kind, string address, string? adminToken = null) => kind switch
    {
        ClientKind.Raw => await RawClient.ConnectAsync(
            adminToken is null ? node.RawUri : new Uri(node.RawUri, "?access_token=" + adminToken),
            o => o.SetRequestHeader("X-Forwarded-For", address)),
        _ => await SignalRClient.ConnectAsync(
            node.HubUri,
            kind == ClientKind.Json ? HubProtocolKind.Json : HubProtocolKind.MessagePack,
            adminToken,
            o => o.Headers["X-Forwarded-For"] = address),
    };

    /// <summary>The next message of <paramref name="type"/> (and <paramref name="match"/>), skipping others (for noisy rooms).</summary>
    public static async Task<JsonElement> ReceiveSkippingAsync(this IChatClient client, string type, Func<JsonElement, bool>? match = null, TimeSpan? within = null)
    {
        var deadline = DateTime.UtcNow + (within ?? RawClient.Timeout);
        while (true)
        {
            var remaining = deadline - DateTime.UtcNow;
            var message = await client.ReceiveAsync(within: remaining > TimeSpan.Zero ? remaining : TimeSpan.Zero);
            if (message.GetProperty("type").GetString() == type && (match is null || match(message)))
            {
                return message;
            }
        }
    }

    /// <summary>
    /// Proves nothing else is pending: sends a hello and expects its reply as the very next message.
    /// The server writes to one connection in order, so anything sent to it before would come first.
    /// </summary>
    public static async Task AssertNothingPendingAsync(this IChatClient client)
    {
        await client.SendAsync("hello");
        var next = await client.ReceiveAsync();
        Assert.Equal("hello", next.GetProperty("type").GetString());
    }

    /// <summary>Joins and waits for the client's own joinroom event.</summary>
    public static async Task<JsonElement> JoinAsync(this IChatClient client, string room)
    {
        await client.SendAsync("join", new { room });
        return await client.ReceiveSkippingAsync("event", e => e.GetProperty("event").GetString() == "joinroom" && e.GetProperty("uid").GetInt64() == client.Uid);
    }

    /// <summary>
    /// Joins fresh clients to <paramref name="room"/> one after another, strictly: each joiner and every
    /// member before it receive the joinroom as their next message, so every queue is empty afterwards.
    /// </summary>
    public static async Task JoinAllAsync(string room, params IChatClient[] clients)
    {
        for (var i = 0; i < clients.Length; i++)
        {
            await clients[i].SendAsync("join", new { room });
            for (var j = 0; j <= i; j++)
            {
                var joined = await clients[j].ReceiveAsync("event");
                Assert.Equal("joinroom", joined.GetProperty("event").GetString());
                Assert.Equal(clients[i].Uid, joined.GetProperty("uid").GetInt64());
            }
        }
    }
}
