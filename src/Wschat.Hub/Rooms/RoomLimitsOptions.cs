using System.ComponentModel.DataAnnotations;

namespace Wschat.Hub.Rooms;

/// <summary>How many rooms one node holds, from the <c>Wschat:Limits</c> section.</summary>
internal sealed class RoomLimitsOptions
{
    public const string SectionName = "Wschat:Limits";

    /// <summary>
    /// Rooms with members on this node; past it a join to another room is refused (error 4034). As many
    /// again may be kept for their history alone (nobody in them here): past that, the longest idle is
    /// forgotten first.
    /// </summary>
    [Range(1, int.MaxValue, ErrorMessage = "Wschat:Limits:MaxRooms must be at least 1.")]
    public int MaxRooms { get; set; } = 100_000;
}
