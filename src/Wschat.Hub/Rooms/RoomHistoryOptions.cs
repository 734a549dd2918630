namespace Wschat.Hub.Rooms;

/// <summary>The <c>Wschat:History</c> section: how much of each room's stream is kept.</summary>
internal sealed class RoomHistoryOptions
{
    public const string SectionName = "Wschat:History";

    /// <summary>Most messages kept per room. 0: none (offsets are still counted).</summary>
    public int Size { get; set; } = 100;

    /// <summary>Seconds an idle room's history is kept after its last message.</summary>
    public int TtlSeconds { get; set; } = 300;
}
