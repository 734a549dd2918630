namespace Wschat.Hub.Moderation;

/// <summary>Where a node keeps its files (<c>Wschat:DataDirectory</c>).</summary>
public sealed class ModerationOptions
{
    /// <summary>Relative paths are resolved against the content root.</summary>
    public string DataDirectory { get; set; } = "data";
}
