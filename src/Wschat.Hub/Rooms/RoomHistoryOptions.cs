using System.ComponentModel.DataAnnotations;

namespace Wschat.Hub.Rooms;

/// <summary>The <c>Wschat:History</c> section: the recent messages a room keeps for members who join late or reconnect.</summary>
internal sealed class RoomHistoryOptions
{
    public const string SectionName = "Wschat:History";

    /// <summary>Messages kept per room. 0: no history.</summary>
    [Range(0, int.MaxValue, ErrorMessage = "Wschat:History:Size must be at least 0.")]
    public int Size { get; set; } = 100;

    /// <summary>Seconds a room's history outlives its last message.</summary>
    [Range(1, int.MaxValue, ErrorMessage = "Wschat:History:TtlSeconds must be at least 1.")]
    public int TtlSeconds { get; set; } = 300;
}
