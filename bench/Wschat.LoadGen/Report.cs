using System.Globalization;
using System.Text;
using System.Text.Json;

namespace Wschat.LoadGen;

/// <summary>Turns the RESULT lines of one run into docs/benchmarks.md: machine, command, tables, ratios, charts.</summary>
internal static class Report
{
    public const string Baseline = "minimal SignalR hub";
    private const string Ceiling = "raw Kestrel broadcaster";

    /// <summary>A steady run keeps up when every delivery arrived within the wait and p99 stays under this.</summary>
    private const double KeepsUpP99Ms = 1000;

    public static string Write(string resultsFile, string mode, string command)
    {
        var rows = ResultRows.Load(resultsFile);
        var text = new StringBuilder();
        text.AppendLine("# Benchmarks").AppendLine();
        text.AppendLine(CultureInfo.InvariantCulture, $"Command: `{command}` ({mode} sizes), {DateTime.UtcNow:yyyy-MM-dd HH:mm} UTC.");
        text.AppendLine(CultureInfo.InvariantCulture, $"Machine: {Machine()}. Server and generator share the cores, so compare ratios within this run.");
        text.AppendLine("Every server ran alone, one scenario per fresh process, driven by the same generator (`bench/Wschat.LoadGen`, lean WebSocket clients on raw sockets; its own CPU is reported).");
        text.AppendLine("Bursts and steady rates are timed on quiet rooms: after every member has joined, one more probe danmu per room must reach every member (the joinroom events still on their way reach it first).");
        text.AppendLine("What the numbers mean, the targets, and the profiles behind them: [performance.md](performance.md).").AppendLine();
        ClusterReport.Targets(text, rows);

        var main = Tagged(rows, "");
        Table(text, "Idle connections: server memory per connection and connect rate", Scenario(main, "idle"),
            ["KB/connection", "ratio to minimal SignalR", "connects/s"],
            r => [Number(r, "rssKbPerConnection"), Ratio(main, r, "rssKbPerConnection"), Number(r, "connectPerSecond")]);
        Table(text, "Burst: one sender, back-to-back danmu to one room", Scenario(main, "burst"),
            ["members", "deliveries/s", "ratio to minimal SignalR", "ratio to raw Kestrel", "p50 ms", "p99 ms", "delivered", "server CPU s", "generator CPU s"],
            r => [Number(r, "connections"), Number(r, "deliveriesPerSecond"), Ratio(main, r, "deliveriesPerSecond"), Ratio(main, r, "deliveriesPerSecond", Ceiling), Number(r, "p50Ms"), Number(r, "p99Ms"), Delivered(r), Number(r, "serverCpuSeconds"), Number(r, "generatorCpuSeconds")]);
        Steady(text, "Steady: danmu at a fixed rate to one room", main);

        Steady(text, "Steady in one big room at 20 danmu/s: does each server keep up?", Tagged(rows, "room10k"),
            $"A server keeps up when every delivery arrived within 10 s of the last send and p99 stays under {KeepsUpP99Ms:#,0} ms (one that falls behind sees its latency grow through the run). The hub's joins cost O(N²) joinroom deliveries, so its big room takes minutes to fill; only the danmu after that are timed.");

        var mixed = Tagged(rows, "mixed");
        Burst(text, "Mixed room: half raw wschat, half SignalR JSON, one room on our hub (burst)", Scenario(mixed, "burst"));
        Steady(text, "Mixed room (steady)", mixed);

        ClusterReport.SideBySide(text, rows);
        var cluster = Tagged(rows, "cluster");
        Burst(text, "Cluster on one Redis: members spread round-robin over the nodes (burst)", Scenario(cluster, "burst"));
        Steady(text, "Cluster on one Redis (steady)", cluster);
        Steady(text, "Big room on a cluster on one Redis (steady)", Tagged(rows, "cluster10k"));
        ClusterReport.BigRoomRepeats(text, rows);
        ClusterReport.Joins(text, Tagged(rows, "join"));

        Many(text, Tagged(rows, "many"));
        Charts.Links(text, rows);
        return text.ToString();
    }

    private static void Burst(StringBuilder text, string title, List<JsonElement> rows) =>
        Table(text, title, rows,
            ["nodes", "members", "deliveries/s", "p50 ms", "p99 ms", "delivered", "server CPU s", "generator CPU s"],
            r => [Number(r, "nodes"), Number(r, "connections"), Number(r, "deliveriesPerSecond"), Number(r, "p50Ms"), Number(r, "p99Ms"), Delivered(r), Number(r, "serverCpuSeconds"), Number(r, "generatorCpuSeconds")]);

    private static void Steady(StringBuilder text, string title, List<JsonElement> rows, string? note = null) =>
        Table(text, title, Scenario(rows, "steady"),
            ["nodes", "members", "p50 ms", "p99 ms", "max ms", "ratio of p99 to minimal SignalR", "delivered", "keeps up", "server CPU s"],
            r => [Number(r, "nodes"), Number(r, "connections"), Number(r, "p50Ms"), Number(r, "p99Ms"), Number(r, "maxMs"), Ratio(rows, r, "p99Ms"), Delivered(r), KeepsUp(r), Number(r, "serverCpuSeconds")], note);

    /// <summary>Many connections over several nodes and generator processes, held, then danmu into every room.</summary>
    private static void Many(StringBuilder text, List<JsonElement> rows)
    {
        if (rows.Count == 0)
        {
            return;
        }

        const string Note = "How measured: the hub nodes all use one Redis (a cluster); several generator processes, one per block of connections (a process may hold at most about 20,000 open files here), each spread their members round-robin over every node, alternating raw wschat and SignalR JSON, in rooms that span the nodes. Each generator joins all its members, waits until every generator has joined (a file barrier), holds the connections a few seconds, reads the nodes' summed memory (KB/connection is over the nodes' memory before the first connect), then sends danmu into its rooms at a steady rate. Latency columns are the worst generator process's.";
        Table(text, "Many concurrent connections on one machine", rows,
            ["nodes", "generator processes", "connections", "rooms × members", "connect s", "connect retries", "join s", "joins sent again", "nodes' RSS held MB", "KB/connection", "dropped by server", "delivered", "p50 ms", "p99 ms", "server CPU s"],
            r => [Number(r, "nodes"), Number(r, "processes"), Number(r, "connections"), $"{Number(r, "rooms")} × {Number(r, "roomSize")}", Number(r, "connectSeconds"), Number(r, "connectRetries"), Number(r, "joinSeconds"), Number(r, "joinRetries"),
                Number(r, "heldRssMb"), PerConnection(r), Number(r, "droppedByServer"), Delivered(r), Number(r, "p50Ms"), Number(r, "p99Ms"), Number(r, "serverCpuSeconds")], Note);
    }

    public static void Table(StringBuilder text, string title, List<JsonElement> rows, string[] columns, Func<JsonElement, string[]> cells, string? note = null)
    {
        if (rows.Count == 0)
        {
            return;
        }

        text.AppendLine(CultureInfo.InvariantCulture, $"## {title}").AppendLine();
        if (note is not null)
        {
            text.AppendLine(note).AppendLine();
        }

        text.AppendLine("| server | client protocol | " + string.Join(" | ", columns) + " |");
        text.AppendLine("|---|---|" + string.Concat(columns.Select(static _ => "---:|")));
        foreach (var row in rows)
        {
            text.AppendLine(CultureInfo.InvariantCulture, $"| {row.GetProperty("label").GetString()} | {row.GetProperty("kind").GetString()} | {string.Join(" | ", cells(row))} |");
        }

        text.AppendLine();
    }

    public static List<JsonElement> Tagged(List<JsonElement> rows, string tag) =>
        rows.Where(r => (r.TryGetProperty("tag", out var t) ? t.GetString() : "") == tag).ToList();

    public static List<JsonElement> Scenario(List<JsonElement> rows, string scenario) =>
        rows.Where(r => r.GetProperty("scenario").GetString() == scenario).ToList();

    /// <summary>
    /// Against the reference server in the same scenario (the minimal SignalR hub over the same protocol, JSON for the
    /// non-SignalR servers); a cluster row ("…, 2 nodes") against the reference on as many nodes.
    /// </summary>
    private static string Ratio(List<JsonElement> rows, JsonElement row, string field, string reference = Baseline)
    {
        var scenario = row.GetProperty("scenario").GetString();
        var label = row.GetProperty("label").GetString()!;
        if (reference == Baseline && label.IndexOf(", ", StringComparison.Ordinal) is var comma and >= 0)
        {
            reference += label[comma..];
        }

        var kind = reference == Ceiling ? "kestrel" : row.GetProperty("kind").GetString() is "signalr-msgpack" ? "signalr-msgpack" : "signalr-json";
        var baseline = rows.FirstOrDefault(r => r.GetProperty("scenario").GetString() == scenario
            && r.GetProperty("label").GetString() == reference && r.GetProperty("kind").GetString() == kind);
        return baseline.ValueKind == JsonValueKind.Object && row.TryGetProperty(field, out var value) && baseline.TryGetProperty(field, out var against) && against.GetDouble() != 0
            ? (value.GetDouble() / against.GetDouble()).ToString("0.00", CultureInfo.InvariantCulture) + "×"
            : "–";
    }

    public static double Value(JsonElement row, string field) =>
        row.TryGetProperty(field, out var value) && value.ValueKind == JsonValueKind.Number ? value.GetDouble() : double.NaN;

    public static string Number(JsonElement row, string field) =>
        double.IsNaN(Value(row, field)) ? "–" : Value(row, field).ToString("#,0.##", CultureInfo.InvariantCulture);

    public static string Delivered(JsonElement row) =>
        $"{Number(row, "delivered")} / {Number(row, "expected")}";

    private static string KeepsUp(JsonElement row) =>
        KeptUp(row) ? "yes" : $"no (p99 ≥ {KeepsUpP99Ms:#,0} ms or deliveries missing)";

    public static bool KeptUp(JsonElement row) =>
        Value(row, "delivered") >= Value(row, "expected") && Value(row, "p99Ms") < KeepsUpP99Ms;

    private static string PerConnection(JsonElement row) =>
        ((Value(row, "heldRssMb") - Value(row, "serverRssBeforeMb")) * 1024 / Value(row, "connections")).ToString("0.0", CultureInfo.InvariantCulture);

    private static string Machine()
    {
        var model = File.ReadLines("/proc/cpuinfo").FirstOrDefault(static l => l.StartsWith("model name", StringComparison.Ordinal))?.Split(':')[1].Trim() ?? "unknown CPU";
        var memory = File.ReadLines("/proc/meminfo").First().Split(' ', StringSplitOptions.RemoveEmptyEntries)[1];
        return $"{Environment.ProcessorCount} cores ({model}), {long.Parse(memory, CultureInfo.InvariantCulture) / 1024 / 1024} GiB, {System.Runtime.InteropServices.RuntimeInformation.OSDescription}, .NET {Environment.Version}";
    }
}
