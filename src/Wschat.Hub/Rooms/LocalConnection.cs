using Microsoft.AspNetCore.SignalR;
using Microsoft.AspNetCore.SignalR.Protocol;
using Wschat.RawAdapter.Outbound;

namespace Wschat.Hub.Rooms;

/// <summary>A connection of this node as the lifetime manager keeps it: its bounded outbox, its protocol and its rooms.</summary>
internal sealed class LocalConnection(string id, IHubProtocol protocol, IConnectionOutbox outbox)
{
    public string Id { get; } = id;

    public IHubProtocol Protocol { get; } = protocol;

    public IConnectionOutbox Outbox { get; } = outbox;

    /// <summary>The rooms it is in; guarded by the manager's membership lock. Most connections are in one at most.</summary>
    public List<string> Rooms { get; } = new(1);

    public bool TryEnqueue(SerializedHubMessage message) => Outbox.TryEnqueue(message, message.GetSerializedMessage(Protocol));
}
