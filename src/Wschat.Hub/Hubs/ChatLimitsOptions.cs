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

    /// <summary>
    /// Most bytes of user entries in one <c>userlist</c> reply, as JSON writes them (MessagePack takes no
    /// more); 0: a quarter of <c>MaxQueuedBytes</c>. At most half of it, so a reply never gets its asker
    /// dropped as a slow reader.
    /// </summary>
    [Range(0, int.MaxValue, ErrorMessage = "Wschat:Limits:MaxUserListBytes must be at least 0.")]
    public int MaxUserListBytes { get; set; }

    /// <summary>Most addressees in one sendto.</summary>
    [Range(1, int.MaxValue, ErrorMessage = "Wschat:Limits:MaxSendToAddressees must be at least 1.")]
    public int MaxSendToAddressees { get; set; } = 100;
}
