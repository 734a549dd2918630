using System.ComponentModel.DataAnnotations;

namespace Wschat.Hub.Moderation;

/// <summary>Where a node keeps its files (<c>Wschat:DataDirectory</c>).</summary>
internal sealed class ModerationOptions
{
    public const string SectionName = "Wschat";

    /// <summary>Relative paths are resolved against the content root.</summary>
    [Required(ErrorMessage = "Wschat:DataDirectory must not be empty.")]
    public string DataDirectory { get; set; } = "data";

    /// <summary>The full path of a file of the data directory.</summary>
    public string PathOf(string fileName, IHostEnvironment environment) =>
        Path.Combine(Path.GetFullPath(DataDirectory, environment.ContentRootPath), fileName);
}
