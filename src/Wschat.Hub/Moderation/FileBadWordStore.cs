using System.Text;
using Microsoft.Extensions.Options;
using Wschat.Hub.Storage;

namespace Wschat.Hub.Moderation;

/// <summary>The list in <c>badwords.txt</c> of the data directory, replaced atomically on save.</summary>
internal sealed class FileBadWordStore(IOptions<DataDirectoryOptions> options, IHostEnvironment environment) : IBadWordStore
{
    private static readonly UTF8Encoding s_utf8 = new(encoderShouldEmitUTF8Identifier: false);

    private readonly string _path = options.Value.PathOf("badwords.txt", environment);

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
        var directory = Path.GetDirectoryName(_path)!;
        Directory.CreateDirectory(directory);

        // A temporary file of its own per save, so concurrent saves never write into one file;
        // it reaches the disk before the rename, and the directory after it, so a crash leaves
        // the old list or the new one.
        var temporary = Path.Combine(directory, $"badwords.{Guid.NewGuid():N}.tmp");
        try
        {
            await using (var file = new FileStream(temporary, FileMode.CreateNew, FileAccess.Write, FileShare.None, bufferSize: 0, useAsync: true))
            {
                await file.WriteAsync(s_utf8.GetBytes(rulesBody), cancellationToken);
                file.Flush(flushToDisk: true);
            }

            File.Move(temporary, _path, overwrite: true);
        }
        catch
        {
            File.Delete(temporary);
            throw;
        }

        DirectoryFlush.Flush(directory);
    }
}
