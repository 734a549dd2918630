using System.Globalization;
using System.Net;

namespace Wschat.LoadGen;

/// <summary>
/// The generator's command line: nine positional arguments, then optional <c>--name=value</c> ones.
/// Ports and server pids may be comma-separated lists (a cluster): members go round-robin over the
/// ports, and the servers' CPU and memory are summed over the pids.
/// </summary>
internal sealed record RunOptions(
    string Kind,
    IReadOnlyList<IPEndPoint> EndPoints,
    string Scenario,
    int Connections,
    int Messages,
    int Rate,
    int Seconds,
    IReadOnlyList<int> ServerPids,
    string Label)
{
    /// <summary>Members per room (0: one room holds everybody).</summary>
    public int RoomSize { get; init; }

    /// <summary>A folder and a count: wait until that many generators have joined before sending.</summary>
    public (string Folder, int Count)? Barrier { get; init; }

    /// <summary>Seconds to hold every connection (after the barrier) before the server memory is read.</summary>
    public int HoldSeconds { get; init; }

    /// <summary>
    /// Steady runs: seconds of the same traffic, unmeasured, before the measured window, so that it
    /// measures the room in its steady state and not fresh processes' tier-up or a join storm's tail.
    /// </summary>
    public int WarmupSeconds { get; init; }

    /// <summary>Seconds the members may take to join before the run gives up (the hub's O(N^2) joins of a 10,000-member room take minutes).</summary>
    public int JoinSeconds { get; init; } = 600;

    /// <summary>Upper bound of the whole run, so it always stops by itself.</summary>
    public int TimeoutSeconds { get; init; } = 1200;

    /// <summary>Which report table the result belongs to ("" is the main one).</summary>
    public string Tag { get; init; } = "";

    public static RunOptions Parse(string[] args)
    {
        var options = new RunOptions(
            args[0], List(args[1]).Select(static port => new IPEndPoint(IPAddress.Loopback, port)).ToList(), args[2],
            Int(args[3]), Int(args[4]), Int(args[5]), Int(args[6]), List(args[7]), args[8]);
        foreach (var option in args.Skip(9))
        {
            var (name, value) = option.Split('=', 2) is [var n, var v] ? (n, v) : throw new ArgumentException($"expected --name=value, got {option}");
            options = name switch
            {
                "--room-size" => options with { RoomSize = Int(value) },
                "--barrier" => options with { Barrier = value.Split(',') is [var folder, var count] ? (folder, Int(count)) : throw new ArgumentException("--barrier=FOLDER,COUNT") },
                "--hold" => options with { HoldSeconds = Int(value) },
                "--warmup" => options with { WarmupSeconds = Int(value) },
                "--join-seconds" => options with { JoinSeconds = Int(value) },
                "--timeout" => options with { TimeoutSeconds = Int(value) },
                "--tag" => options with { Tag = value },
                _ => throw new ArgumentException($"unknown option {name}"),
            };
        }

        return options;
    }

    private static List<int> List(string text) => text.Split(',').Select(Int).ToList();

    private static int Int(string text) => int.Parse(text, CultureInfo.InvariantCulture);
}
