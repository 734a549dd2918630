using System.Buffers.Binary;
using System.Text;
using Microsoft.AspNetCore.SignalR;
using Microsoft.AspNetCore.SignalR.Protocol;

namespace Wschat.Hub.Rooms;

/// <summary>
/// A room message as bytes between nodes: its serialization in every protocol, made once by the
/// sending node, and the excluded connection ids. A receiving node hands those bytes to its members
/// as they are. Layout: protocol count (1 byte), then per protocol name length (1 byte), ASCII name,
/// length (4 bytes) and bytes; then excluded count (2 bytes) and per id length (2 bytes) and UTF-8.
/// </summary>
internal sealed class RoomMessageCodec
{
    private readonly IHubProtocol[] _protocols;
    private readonly byte[][] _names;

    public RoomMessageCodec(IHubProtocolResolver resolver)
    {
        _protocols = [.. resolver.AllProtocols];
        _names = Array.ConvertAll(_protocols, static p => Encoding.ASCII.GetBytes(p.Name));
    }

    public byte[] Encode(RoomMessage message)
    {
        var serialized = new ReadOnlyMemory<byte>[_protocols.Length];
        var length = 1 + 2;
        for (var i = 0; i < _protocols.Length; i++)
        {
            serialized[i] = message.Serialized.GetSerializedMessage(_protocols[i]);
            length += 1 + _names[i].Length + 4 + serialized[i].Length;
        }

        var excluded = message.ExcludedConnectionIds ?? [];
        foreach (var id in excluded)
        {
            length += 2 + Encoding.UTF8.GetByteCount(id);
        }

        var bytes = new byte[length];
        var span = bytes.AsSpan();
        span[0] = (byte)_protocols.Length;
        var at = 1;
        for (var i = 0; i < _protocols.Length; i++)
        {
            span[at++] = (byte)_names[i].Length;
            _names[i].CopyTo(span[at..]);
            at += _names[i].Length;
            BinaryPrimitives.WriteInt32LittleEndian(span[at..], serialized[i].Length);
            serialized[i].Span.CopyTo(span[(at + 4)..]);
            at += 4 + serialized[i].Length;
        }

        BinaryPrimitives.WriteUInt16LittleEndian(span[at..], (ushort)excluded.Count);
        at += 2;
        foreach (var id in excluded)
        {
            var written = Encoding.UTF8.GetBytes(id, span[(at + 2)..]);
            BinaryPrimitives.WriteUInt16LittleEndian(span[at..], (ushort)written);
            at += 2 + written;
        }

        return bytes;
    }

    /// <summary>The message in <paramref name="bytes"/>, whose serializations stay slices of it (no copy).</summary>
    public RoomMessage Decode(ReadOnlyMemory<byte> bytes)
    {
        var span = bytes.Span;
        var count = span[0];
        var serialized = new SerializedMessage[count];
        var at = 1;
        for (var i = 0; i < count; i++)
        {
            var name = NameOf(span.Slice(at + 1, span[at]));
            at += 1 + span[at];
            var length = BinaryPrimitives.ReadInt32LittleEndian(span[at..]);
            serialized[i] = new SerializedMessage(name, bytes.Slice(at + 4, length));
            at += 4 + length;
        }

        var excludedCount = BinaryPrimitives.ReadUInt16LittleEndian(span[at..]);
        at += 2;
        var excluded = excludedCount == 0 ? null : new string[excludedCount];
        for (var i = 0; i < excludedCount; i++)
        {
            var length = BinaryPrimitives.ReadUInt16LittleEndian(span[at..]);
            excluded![i] = Encoding.UTF8.GetString(span.Slice(at + 2, length));
            at += 2 + length;
        }

        return new RoomMessage(new SerializedHubMessage(serialized), excluded);
    }

    /// <summary>The registered protocol's own name string, so decoding allocates none per message.</summary>
    private string NameOf(ReadOnlySpan<byte> name)
    {
        for (var i = 0; i < _names.Length; i++)
        {
            if (name.SequenceEqual(_names[i]))
            {
                return _protocols[i].Name;
            }
        }

        return Encoding.ASCII.GetString(name);
    }
}
