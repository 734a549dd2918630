namespace Wschat.Client.Resume;

/// <summary>A place in a room's stream as the server numbers it: offsets count within an epoch.</summary>
internal readonly record struct RoomPosition(string Epoch, long Offset)
{
    /// <summary>True if a message at <paramref name="position"/> came after this place (another epoch: it came later).</summary>
    public bool IsBefore(RoomPosition position) => position.Epoch != Epoch || position.Offset > Offset;
}
