using System.Globalization;
using System.Text;
using System.Text.Json;

namespace Wschat.LoadGen;

/// <summary>Turns the RESULT lines of one run into docs/benchmarks.md: machine, command, tables, ratios.</summary>
internal static class Report
{
    private const string Baseline = "minimal SignalR hub";

    public static string Write(string resultsFile, string mode, string command)
    {
        var rows = File.ReadLines(resultsFile)
            .Select(static line => JsonDocument.Parse(line["RESULT ".Length..]).RootElement.Clone())
            .ToList();
        var text = new StringBuilder();
        text.AppendLine("# Benchmarks").AppendLine();
        text.AppendLine(CultureInfo.InvariantCulture, $"Command: `{command}` ({mode} sizes), {DateTime.UtcNow:yyyy-MM-dd HH:mm} UTC.");
        text.AppendLine(CultureInfo.InvariantCulture, $"Machine: {Machine()}. Server and generator share the cores, so compare ratios within this run.");
        text.AppendLine("Every server ran alone, one scenario per fresh process, driven by the same generator (`bench/Wschat.LoadGen`, lean WebSocket clients on raw sockets; its own CPU is reported).").AppendLine();

        Table(text, "Idle connections: server memory per connection and connect rate", rows, "idle",
            ["KB/connection", "ratio to minimal SignalR", "connects/s"],
            r => [Number(r, "rssKbPerConnection"), Ratio(rows, r, "idle", "rssKbPerConnection"), Number(r, "connectPerSecond")]);
        Table(text, "Burst: one sender, back-to-back danmu to one room", rows, "burst",
            ["members", "deliveries/s", "ratio to minimal SignalR", "p50 ms", "p99 ms", "delivered", "server CPU s", "generator CPU s"],
            r => [Number(r, "connections"), Number(r, "deliveriesPerSecond"), Ratio(rows, r, "burst", "deliveriesPerSecond"), Number(r, "p50Ms"), Number(r, "p99Ms"), Delivered(r), Number(r, "serverCpuSeconds"), Number(r, "generatorCpuSeconds")]);
        Table(text, "Steady: danmu at a fixed rate to one room", rows, "steady",
            ["members", "p50 ms", "p99 ms", "max ms", "ratio of p99 to minimal SignalR", "delivered", "server CPU s"],
            r => [Number(r, "connections"), Number(r, "p50Ms"), Number(r, "p99Ms"), Number(r, "maxMs"), Ratio(rows, r, "steady", "p99Ms"), Delivered(r), Number(r, "serverCpuSeconds")]);
        return text.ToString();
    }

    private static void Table(StringBuilder text, string title, List<JsonElement> rows, string scenario, string[] columns, Func<JsonElement, string[]> cells)
    {
        text.AppendLine(CultureInfo.InvariantCulture, $"## {title}").AppendLine();
        text.AppendLine("| server | client protocol | " + string.Join(" | ", columns) + " |");
        text.AppendLine("|---|---|" + string.Concat(columns.Select(static _ => "---:|")));
        foreach (var row in rows.Where(r => r.GetProperty("scenario").GetString() == scenario))
        {
            text.AppendLine(CultureInfo.InvariantCulture, $"| {row.GetProperty("label").GetString()} | {row.GetProperty("kind").GetString()} | {string.Join(" | ", cells(row))} |");
        }

        text.AppendLine();
    }

    /// <summary>Against the minimal SignalR hub over the same protocol (JSON for the non-SignalR servers).</summary>
    private static string Ratio(List<JsonElement> rows, JsonElement row, string scenario, string field)
    {
        var kind = row.GetProperty("kind").GetString() is "signalr-msgpack" ? "signalr-msgpack" : "signalr-json";
        var baseline = rows.FirstOrDefault(r => r.GetProperty("scenario").GetString() == scenario
            && r.GetProperty("label").GetString() == Baseline && r.GetProperty("kind").GetString() == kind);
        return baseline.ValueKind == JsonValueKind.Object && row.TryGetProperty(field, out var value) && baseline.TryGetProperty(field, out var reference) && reference.GetDouble() != 0
            ? (value.GetDouble() / reference.GetDouble()).ToString("0.00", CultureInfo.InvariantCulture) + "×"
            : "–";
    }

    private static string Number(JsonElement row, string field) =>
        row.TryGetProperty(field, out var value) ? value.GetDouble().ToString("#,0.##", CultureInfo.InvariantCulture) : "–";

    private static string Delivered(JsonElement row) =>
        $"{Number(row, "delivered")} / {Number(row, "expected")}";

    private static string Machine()
    {
        var model = File.ReadLines("/proc/cpuinfo").FirstOrDefault(static l => l.StartsWith("model name", StringComparison.Ordinal))?.Split(':')[1].Trim() ?? "unknown CPU";
        var memory = File.ReadLines("/proc/meminfo").First().Split(' ', StringSplitOptions.RemoveEmptyEntries)[1];
        return $"{Environment.ProcessorCount} cores ({model}), {long.Parse(memory, CultureInfo.InvariantCulture) / 1024 / 1024} GiB, {System.Runtime.InteropServices.RuntimeInformation.OSDescription}, .NET {Environment.Version}";
    }
}
