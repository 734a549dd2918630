using Microsoft.AspNetCore.SignalR;
using Microsoft.AspNetCore.SignalR.Protocol;
using Wschat.Outbound;

namespace Wschat.Hub.Rooms;

/// <summary>A connection of this node as the lifetime manager keeps it: its bounded outbound queue, its protocol and its rooms.</summary>
internal sealed class LocalConnection(string id, IHubProtocol protocol, OutboundQueue queue)
{
    // Read by every delivery, set once by the hub: a plain field, no lock.
    private volatile bool _sendsOffsets;

    public string Id { get; } = id;

    public IHubProtocol Protocol { get; } = protocol;

    /// <summary>The hub's connection, to close it (benchmarks have none).</summary>
    public HubConnectionContext? Connection { get; init; }

    public OutboundQueue Queue { get; } = queue;

    /// <summary>True: each room message reaches it after an <c>offset</c> message giving its place.</summary>
    public bool SendsOffsets => _sendsOffsets;

    // Guarded by the manager's membership lock. Made on the first join: an idle connection holds no list.
    private List<string>? _rooms;

    /// <summary>The rooms it is in (most connections are in one at most); call under the membership lock.</summary>
    public IReadOnlyList<string> Rooms => _rooms ?? [];

    /// <summary>False if it was in the room already; call under the membership lock.</summary>
    public bool TryEnter(string room)
    {
        if (_rooms?.Contains(room) == true)
        {
            return false;
        }

        (_rooms ??= new(1)).Add(room);
        return true;
    }

    /// <summary>False if it was not in the room; call under the membership lock.</summary>
    public bool TryLeave(string room) => _rooms?.Remove(room) == true;

    public void SendOffsets() => _sendsOffsets = true;

    public bool TryEnqueue(SerializedHubMessage message) => Queue.TryEnqueue(message, message.GetSerializedMessage(Protocol));

    /// <summary>
    /// Writes <paramref name="farewell"/> past the queue (what waits there may never go out) and then
    /// ends the connection: its disconnect takes it out of its room as if it had left.
    /// </summary>
    public async Task CloseAsync(SerializedHubMessage farewell)
    {
        if (Connection is not { } connection)
        {
            return;
        }

        try
        {
            await connection.WriteAsync(farewell);
        }
        catch (Exception ex) when (ex is OperationCanceledException or InvalidOperationException or IOException)
        {
            // Going away already.
        }

        connection.Abort();
    }
}
