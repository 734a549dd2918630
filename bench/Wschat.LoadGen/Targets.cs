using System.Text;

namespace Wschat.LoadGen;

/// <summary>How to speak to one kind of server: path, handshake, join and danmu frames, replies to its pings.</summary>
internal sealed record Target(
    string Path,
    bool Binary,
    byte[]? Handshake,
    Func<string, byte[]> Join,
    Func<string, byte[]> Danmu,
    Func<ReadOnlyMemory<byte>, byte[]?> Reply)
{
    /// <summary>
    /// Sent every few seconds, as real clients do: a SignalR server drops a client it has heard
    /// nothing from for 30 s, and a member that only listens (or waits for minutes of joins) says nothing.
    /// </summary>
    public byte[]? KeepAlive { get; init; }

    /// <summary>The targets members take in turn: "mixed" alternates raw wschat and SignalR JSON in one room.</summary>
    public static IReadOnlyList<Target> Cycle(string kind) => kind == "mixed" ? [For("raw"), For("signalr-json")] : [For(kind)];

    public static Target For(string kind) => kind switch
    {
        // wschat JSON: our raw endpoint, the raw Kestrel peer and the Node ws peer speak it alike.
        "raw" or "kestrel" or "ws" => new("/", false, null,
            room => Utf8($"{{\"type\":\"join\",\"room\":\"{room}\"}}"),
            text => Utf8($"{{\"type\":\"danmu\",\"text\":\"{text}\"}}"),
            NoReply),
        "signalr-json" => new("/hub", false, Utf8("{\"protocol\":\"json\",\"version\":1}\u001e"),
            room => Utf8($"{{\"type\":1,\"target\":\"join\",\"arguments\":[{{\"room\":\"{room}\"}}]}}\u001e"),
            text => Utf8($"{{\"type\":1,\"target\":\"danmu\",\"arguments\":[{{\"text\":\"{text}\"}}]}}\u001e"),
            NoReply) { KeepAlive = Utf8("{\"type\":6}\u001e") },
        "signalr-msgpack" => new("/hub", true, Utf8("{\"protocol\":\"messagepack\",\"version\":1}\u001e"),
            room => MessagePackInvocation("join", "room", room),
            text => MessagePackInvocation("danmu", "text", text),
            NoReply) { KeepAlive = [0x02, 0x91, 0x06] }, // [6] with its length prefix
        "socketio" => new("/socket.io/?EIO=4&transport=websocket", false, null,
            room => Utf8($"42[\"join\",\"{room}\"]"),
            text => Utf8($"42[\"danmu\",\"{text}\"]"),
            SocketIoReply),
        _ => throw new ArgumentException($"unknown target kind {kind}"),
    };

    private static byte[]? NoReply(ReadOnlyMemory<byte> message) => null;

    /// <summary>Engine.IO: answer the open packet by connecting the namespace, and pings with pongs.</summary>
    private static byte[]? SocketIoReply(ReadOnlyMemory<byte> message) => message.Span switch
    {
        [(byte)'2'] => [(byte)'3'],
        [(byte)'0', ..] => Utf8("40"),
        _ => null,
    };

    private static byte[] Utf8(string text) => Encoding.UTF8.GetBytes(text);

    /// <summary>A SignalR MessagePack invocation [1, {}, nil, target, [{key: value}], []] with its varint length prefix.</summary>
    private static byte[] MessagePackInvocation(string target, string key, string value)
    {
        var body = new List<byte> { 0x96, 0x01, 0x80, 0xC0 };
        WriteString(body, target);
        body.AddRange([0x91, 0x81]);
        WriteString(body, key);
        WriteString(body, value);
        body.Add(0x90);

        var framed = new List<byte>();
        for (var length = (uint)body.Count; ; length >>= 7)
        {
            framed.Add((byte)(length < 0x80 ? length : (length & 0x7F) | 0x80));
            if (length < 0x80)
            {
                break;
            }
        }

        framed.AddRange(body);
        return [.. framed];
    }

    private static void WriteString(List<byte> output, string text)
    {
        var bytes = Encoding.UTF8.GetBytes(text);
        if (bytes.Length < 32)
        {
            output.Add((byte)(0xA0 | bytes.Length));
        }
        else
        {
            output.AddRange([0xD9, (byte)bytes.Length]);
        }

        output.AddRange(bytes);
    }
}
