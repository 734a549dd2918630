using Microsoft.AspNetCore.SignalR;
using Microsoft.AspNetCore.SignalR.Protocol;

namespace Wschat.Hub.Rooms;

/// <summary>
/// Hands a batch of room messages to this node's members: one queue append per member for the whole
/// batch. The batch's bytes are joined once per protocol (hub protocols frame each message, so joined
/// messages stay apart on the wire) and shared by every member speaking it. Nothing here waits for a
/// socket; nothing is allocated per member.
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
                delivered += DeliverOne(members, new Frames(publication.Message.Serialized, null), publication.Message.ExcludedConnectionIds);
            }

            return delivered;
        }

        return DeliverOne(members, new Frames(null, batch), excluded: null) * batch.Count;
    }

    /// <returns>The members it went to.</returns>
    private static int DeliverOne(LocalConnection[] members, Frames frames, IReadOnlyList<string>? excluded)
    {
        IHubProtocol? protocol = null;
        SerializedHubMessage? message = null;
        ReadOnlyMemory<byte> bytes = default;
        var delivered = 0;
        foreach (var member in members)
        {
            if (excluded is not null && IsExcluded(excluded, member.Id))
            {
                continue;
            }

            // Members of one protocol share its instance: a lookup only when the protocol changes.
            if (!ReferenceEquals(protocol, member.Protocol))
            {
                protocol = member.Protocol;
                (message, bytes) = frames.For(protocol);
            }

            member.Outbox.TryEnqueue(message!, bytes);
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

    /// <summary>The bytes of one message, or of a joined batch, per protocol, made on first use.</summary>
    private sealed class Frames(SerializedHubMessage? single, IReadOnlyList<RoomPublication>? batch)
    {
        private readonly List<(IHubProtocol Protocol, SerializedHubMessage Message, ReadOnlyMemory<byte> Bytes)> _made = new(2);

        public (SerializedHubMessage Message, ReadOnlyMemory<byte> Bytes) For(IHubProtocol protocol)
        {
            foreach (var made in _made)
            {
                if (ReferenceEquals(made.Protocol, protocol))
                {
                    return (made.Message, made.Bytes);
                }
            }

            var (message, bytes) = single is not null ? (single, single.GetSerializedMessage(protocol)) : Join(protocol);
            _made.Add((protocol, message, bytes));
            return (message, bytes);
        }

        private (SerializedHubMessage, ReadOnlyMemory<byte>) Join(IHubProtocol protocol)
        {
            var length = 0;
            foreach (var publication in batch!)
            {
                length += publication.Message.Serialized.GetSerializedMessage(protocol).Length;
            }

            var joined = new byte[length];
            var at = 0;
            foreach (var publication in batch)
            {
                var bytes = publication.Message.Serialized.GetSerializedMessage(protocol);
                bytes.Span.CopyTo(joined.AsSpan(at));
                at += bytes.Length;
            }

            return (new SerializedHubMessage([new SerializedMessage(protocol.Name, joined)]), joined);
        }
    }
}
