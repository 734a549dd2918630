namespace Wschat.Hub.Rooms;

/// <summary>
/// What the hub turns on for a client that wants to resume: <c>offset</c> messages. Legacy clients never ask,
/// so they see only the contract's messages.
/// </summary>
internal interface IRoomOffsets
{
    /// <summary>From now on, every room message reaches the connection after its place in the room's stream.</summary>
    void SendOffsets(string connectionId);
}
