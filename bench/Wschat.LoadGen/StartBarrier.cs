namespace Wschat.LoadGen;

/// <summary>
/// Lines up several generator processes (one machine, one folder): each drops a file named after
/// its pid once all its members have joined, then waits until the folder holds the agreed count,
/// so every connection is open before anyone sends. Bounded by the caller's token.
/// </summary>
internal static class StartBarrier
{
    public static async Task ArriveAndWaitAsync(string folder, int count, CancellationToken cancellationToken)
    {
        Directory.CreateDirectory(folder);
        await File.WriteAllTextAsync(Path.Combine(folder, $"{Environment.ProcessId}.ready"), "", cancellationToken);
        while (Directory.GetFiles(folder, "*.ready").Length < count)
        {
            await Task.Delay(250, cancellationToken);
        }
    }
}
