using System.Text;
using Microsoft.Extensions.Options;

namespace Wschat.Hub.Moderation;

/// <summary>The list in <c>badwords.txt</c> of the data directory, replaced atomically on save.</summary>
internal sealed class FileBadWordStore(IOptions<ModerationOptions> options, IHostEnvironment environment) : IBadWordStore
{
    private static readonly UTF8Encoding s_utf8 = new(encoderShouldEmitUTF8Identifier: false);

    private readonly string _path = Path.Combine(Path.GetFullPath(options.Value.DataDirectory, environment.ContentRootPath), "badwords.txt");

    // A single writer: nothing else changes the file, so nobody needs telling.
    public event EventHandler? Changed
    {
        add { }
        remove { }
    }

    public async Task<string> LoadAsync(CancellationToken cancellationToken) =>
        File.Exists(_path) ? await File.ReadAllTextAsync(_path, s_utf8, cancellationToken) : "";

    public async Task SaveAsync(string rulesBody, CancellationToken cancellationToken)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(_path)!);
        var temporary = _path + ".tmp";
        await File.WriteAllTextAsync(temporary, rulesBody, s_utf8, cancellationToken);
        File.Move(temporary, _path, overwrite: true);
    }
}
