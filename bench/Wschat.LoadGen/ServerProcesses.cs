namespace Wschat.LoadGen;

/// <summary>The server processes under test (one, or every node of a cluster): their CPU and memory summed.</summary>
internal sealed class ServerProcesses(IReadOnlyList<int> pids)
{
    public int Count => pids.Count;

    public long RssKilobytes() => pids.Sum(ProcStats.RssKilobytes);

    public double CpuSeconds() => pids.Sum(ProcStats.CpuSeconds);
}
