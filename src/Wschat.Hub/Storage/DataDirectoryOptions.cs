using System.ComponentModel.DataAnnotations;

namespace Wschat.Hub.Storage;

/// <summary>Where a node keeps its files (<c>Wschat:DataDirectory</c>): the word list, the uid mark.</summary>
internal sealed class DataDirectoryOptions
{
    public const string SectionName = "Wschat";

    /// <summary>Relative paths are resolved against the content root.</summary>
    [Required(ErrorMessage = "Wschat:DataDirectory must not be empty.")]
    public string DataDirectory { get; set; } = "data";

    /// <summary>The full path of a file of the data directory.</summary>
    public string PathOf(string fileName, IHostEnvironment environment) =>
        Path.Combine(Path.GetFullPath(DataDirectory, environment.ContentRootPath), fileName);
}
