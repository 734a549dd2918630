using Microsoft.AspNetCore.SignalR;
using Microsoft.AspNetCore.SignalR.Protocol;
using Wschat.Contracts;

namespace Wschat.Hub.Rooms;

/// <summary>
/// Hands a batch of room messages to this node's members: one queue append per member for the whole
/// batch. The batch's bytes are joined once per protocol (hub protocols frame each message, so joined
/// messages stay apart on the wire) and shared by every member speaking it; members that asked for
/// offsets share a second joining, with each message's <c>offset</c> message before it. Nothing here
/// waits for a socket; nothing is allocated per member.
/// </summary>
internal static class RoomFanOut
{
    /// <returns>The deliveries made: one per message and member it went to.</returns>
    public static int Deliver(LocalConnection[] members, IReadOnlyList<RoomPublication> batch)
    {
        if (members.Length == 0)
        {
            return 0;
        }

        if (batch.Count == 1 || HasExclusions(batch))
        {
            // Exclusions differ per message: such a batch goes message by message.
            var delivered = 0;
            foreach (var publication in batch)
            {
                delivered += DeliverOne(members, [publication], publication.Message.ExcludedConnectionIds);
            }

            return delivered;
        }

        return DeliverOne(members, batch, excluded: null) * batch.Count;
    }

    /// <returns>The members it went to.</returns>
    private static int DeliverOne(LocalConnection[] members, IReadOnlyList<RoomPublication> publications, IReadOnlyList<string>? excluded)
    {
        var delivered = 0;
        var plain = new Frames(publications, withOffsets: false);
        Frames? withOffsets = null;
        IHubProtocol? protocol = null;
        var offsets = false;
        SerializedHubMessage? message = null;
        ReadOnlyMemory<byte> bytes = default;
        foreach (var member in members)
        {
            if (excluded is not null && IsExcluded(excluded, member.Id))
            {
                continue;
            }

            // Members of one protocol share its instance: a lookup only when the protocol or the offsets change.
            if (!ReferenceEquals(protocol, member.Protocol) || offsets != member.SendsOffsets)
            {
                (protocol, offsets) = (member.Protocol, member.SendsOffsets);
                (message, bytes) = (offsets ? withOffsets ??= new Frames(publications, withOffsets: true) : plain).For(protocol);
            }

            member.Queue.TryEnqueue(message!, bytes);
            delivered++;
        }

        return delivered;
    }

    private static bool HasExclusions(IReadOnlyList<RoomPublication> batch)
    {
        foreach (var publication in batch)
        {
            if (publication.Message.ExcludedConnectionIds is not null)
            {
                return true;
            }
        }

        return false;
    }

    private static bool IsExcluded(IReadOnlyList<string> excluded, string connectionId)
    {
        foreach (var id in excluded)
        {
            if (string.Equals(id, connectionId, StringComparison.Ordinal))
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>The bytes of the messages (with their offsets, if asked) per protocol, made on first use.</summary>
    private sealed class Frames(IReadOnlyList<RoomPublication> publications, bool withOffsets)
    {
        private readonly List<(IHubProtocol Protocol, SerializedHubMessage Message, ReadOnlyMemory<byte> Bytes)> _made = new(2);
        private SerializedHubMessage[]? _offsets;

        public (SerializedHubMessage Message, ReadOnlyMemory<byte> Bytes) For(IHubProtocol protocol)
        {
            foreach (var made in _made)
            {
                if (ReferenceEquals(made.Protocol, protocol))
                {
                    return (made.Message, made.Bytes);
                }
            }

            var (message, bytes) = publications.Count == 1 && !withOffsets
                ? (publications[0].Message.Serialized, publications[0].Message.Serialized.GetSerializedMessage(protocol))
                : Join(protocol);
            _made.Add((protocol, message, bytes));
            return (message, bytes);
        }

        private (SerializedHubMessage, ReadOnlyMemory<byte>) Join(IHubProtocol protocol)
        {
            var parts = new ReadOnlyMemory<byte>[withOffsets ? publications.Count * 2 : publications.Count];
            var offsets = withOffsets ? _offsets ??= OffsetMessages() : null;
            var length = 0;
            for (var i = 0; i < publications.Count; i++)
            {
                if (offsets is not null)
                {
                    length += (parts[2 * i] = offsets[i].GetSerializedMessage(protocol)).Length;
                }

                length += (parts[offsets is null ? i : (2 * i) + 1] = publications[i].Message.Serialized.GetSerializedMessage(protocol)).Length;
            }

            var joined = new byte[length];
            var at = 0;
            foreach (var part in parts)
            {
                part.Span.CopyTo(joined.AsSpan(at));
                at += part.Length;
            }

            return (new SerializedHubMessage([new SerializedMessage(protocol.Name, joined)]), joined);
        }

        private SerializedHubMessage[] OffsetMessages()
        {
            var messages = new SerializedHubMessage[publications.Count];
            for (var i = 0; i < messages.Length; i++)
            {
                var (epoch, offset) = publications[i].Position;
                messages[i] = new SerializedHubMessage(new InvocationMessage(WschatMethods.Offset, [new OffsetMessage { Epoch = epoch, Offset = offset }]));
            }

            return messages;
        }
    }
}
