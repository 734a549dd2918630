using System.Text.Json;
using System.Text.Json.Nodes;

namespace Wschat.LoadGen;

/// <summary>
/// The RESULT lines of one run. Several generator processes that drove one scenario together
/// (same label, kind, scenario and tag) become one row: counts and rates add up, latencies and
/// server readings take the worst process (each reads the same servers), the baseline the least.
/// </summary>
internal static class ResultRows
{
    private static readonly string[] Summed = ["connections", "rooms", "expected", "delivered", "messages", "deliveriesPerSecond", "connectPerSecond", "generatorCpuSeconds", "droppedByServer", "connectRetries", "joinRetries", "handshakeErrors", "notJoined"];

    /// <summary>Read before any member connects: the earliest process saw the servers emptiest.</summary>
    private static readonly string[] Least = ["serverRssBeforeMb"];

    public static List<JsonElement> Load(string resultsFile) =>
        File.ReadLines(resultsFile)
            .Where(static line => line.StartsWith("RESULT ", StringComparison.Ordinal))
            .Select(static line => JsonNode.Parse(line["RESULT ".Length..])!.AsObject())
            .GroupBy(static row => string.Join('|', Field(row, "label"), Field(row, "kind"), Field(row, "scenario"), Field(row, "tag")))
            .Select(static group => JsonSerializer.SerializeToElement(Merge([.. group])))
            .ToList();

    private static JsonObject Merge(List<JsonObject> rows)
    {
        var merged = rows[0].DeepClone().AsObject();
        merged["processes"] = rows.Count;
        foreach (var (name, _) in rows[0])
        {
            var values = rows.Select(row => row[name]).OfType<JsonValue>().Where(static v => v.TryGetValue<double>(out _)).Select(static v => v.GetValue<double>()).ToList();
            if (values.Count == rows.Count && rows.Count > 1)
            {
                merged[name] = Summed.Contains(name) ? values.Sum() : Least.Contains(name) ? values.Min() : values.Max();
            }
        }

        return merged;
    }

    private static string Field(JsonObject row, string name) => row[name]?.ToString() ?? "";
}
