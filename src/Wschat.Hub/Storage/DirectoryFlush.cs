using System.Runtime.InteropServices;

namespace Wschat.Hub.Storage;

/// <summary>
/// Writes a directory's entries to disk (POSIX <c>fsync</c> of the directory), so a rename in it
/// survives a crash: flushing the file makes its bytes durable, not the name that points at them.
/// The BCL opens no directory handles on Unix, hence the two libc calls.
/// </summary>
internal static partial class DirectoryFlush
{
    private const int ReadOnly = 0;

    /// <exception cref="IOException">The directory could not be opened or flushed.</exception>
    public static void Flush(string directory)
    {
        // Windows offers no directory flush; NTFS journals the rename with the file's metadata.
        if (OperatingSystem.IsWindows())
        {
            return;
        }

        var descriptor = Open(directory, ReadOnly);
        if (descriptor < 0)
        {
            throw Failure("open", directory);
        }

        try
        {
            if (Fsync(descriptor) != 0)
            {
                throw Failure("fsync", directory);
            }
        }
        finally
        {
            _ = Close(descriptor);
        }
    }

    private static IOException Failure(string call, string directory) =>
        new($"{call} of the directory {directory} failed: {Marshal.GetPInvokeErrorMessage(Marshal.GetLastPInvokeError())}");

    [LibraryImport("libc", EntryPoint = "open", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    private static partial int Open(string path, int flags);

    [LibraryImport("libc", EntryPoint = "fsync", SetLastError = true)]
    private static partial int Fsync(int descriptor);

    [LibraryImport("libc", EntryPoint = "close")]
    private static partial int Close(int descriptor);
}
