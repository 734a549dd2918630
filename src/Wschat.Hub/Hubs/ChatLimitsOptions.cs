using System.ComponentModel.DataAnnotations;

namespace Wschat.Hub.Hubs;

/// <summary>Lengths the hub accepts, from the <c>Wschat:Limits</c> section.</summary>
internal sealed class ChatLimitsOptions
{
    public const string SectionName = "Wschat:Limits";

    /// <summary>Most characters in danmu, text or sendto text.</summary>
    [Range(1, int.MaxValue, ErrorMessage = "Wschat:Limits:MaxTextLength must be at least 1.")]
    public int MaxTextLength { get; set; } = 1000;

    /// <summary>Most characters in a room name.</summary>
    [Range(1, int.MaxValue, ErrorMessage = "Wschat:Limits:MaxRoomNameLength must be at least 1.")]
    public int MaxRoomNameLength { get; set; } = 128;

    /// <summary>Most characters in each login field.</summary>
    [Range(1, int.MaxValue, ErrorMessage = "Wschat:Limits:MaxLoginFieldLength must be at least 1.")]
    public int MaxLoginFieldLength { get; set; } = 512;

    /// <summary>Most addressees in one sendto.</summary>
    [Range(1, int.MaxValue, ErrorMessage = "Wschat:Limits:MaxSendToAddressees must be at least 1.")]
    public int MaxSendToAddressees { get; set; } = 100;
}
