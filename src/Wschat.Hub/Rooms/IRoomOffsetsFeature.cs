namespace Wschat.Hub.Rooms;

/// <summary>
/// A connection feature the lifetime manager offers: the hub turns on <c>offset</c> messages for a
/// client that wants to resume. Legacy clients never ask, so they see only the contract's messages.
/// </summary>
internal interface IRoomOffsetsFeature
{
    /// <summary>From now on, every room message reaches the connection after its place in the room's stream.</summary>
    void SendOffsets();
}
