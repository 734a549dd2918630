using System.Globalization;
using System.Text;
using System.Text.Json;

namespace Wschat.LoadGen;

/// <summary>
/// The cluster part of the report: each room scenario on 2 nodes next to the same room on one node,
/// the connect/join runs with and without Redis, and the targets they are measured against, in one table.
/// A cluster row's label is its server's label with ", N nodes" after it.
/// </summary>
internal static class ClusterReport
{
    private const string Hub = "wschat hub";
    private const string HubOnRedis = "wschat hub, Redis configured";

    /// <summary>Each target with what it needs and what this run measured; quick runs use smaller rooms than the targets name.</summary>
    public static void Targets(StringBuilder text, List<JsonElement> rows)
    {
        var checks = new List<(string Target, string Needed, string Measured, bool? Met)>();

        // 2 nodes, the big mixed room at 20/s (the 10,000-member one in a full run, the steady room in a quick one).
        var bigMixed = Find(rows, $"{Hub}, 2 nodes", "mixed", "steady", "cluster10k") ?? Find(rows, $"{Hub}, 2 nodes", "mixed", "steady", "cluster");
        if (bigMixed is { } big)
        {
            checks.Add(("2 nodes, 10,000-member mixed room at 20 danmu/s: keeps up, every delivery arrives", "all delivered, p99 < 1 s",
                $"{Members(big)}: {Report.Delivered(big)} delivered, p99 {Report.Number(big, "p99Ms")} ms{NotJoined(big)}",
                Report.KeptUp(big) && Report.Value(big, "notJoined") is 0 or double.NaN));
            var pairs = BigRoomPairs(rows, big);
            var ratios = pairs.Select(static p => Report.Value(p.TwoNodes, "p99Ms") / Report.Value(p.OneNode, "p99Ms")).Order().ToList();
            var median = ratios.Count == 0 ? double.NaN : ratios[ratios.Count / 2];
            checks.Add((ratios.Count > 1 ? $"… its p99 next to the same room on one node (median of {ratios.Count} pairs, one node and 2 nodes alternating)" : "… its p99 next to the same room on one node", "≤ 1.3×",
                pairs.Count == 0 ? "no one-node row"
                    : ratios.Count == 1 ? $"{Members(big)}: {Report.Number(big, "p99Ms")} ms / {Report.Number(pairs[0].OneNode, "p99Ms")} ms = {Times(median)}"
                    : $"{Members(big)}: {Times(median)} (pairs: {string.Join(", ", pairs.Select(static p => $"{Report.Number(p.TwoNodes, "p99Ms")} / {Report.Number(p.OneNode, "p99Ms")} ms"))})",
                double.IsNaN(median) ? null : median <= 1.3));
        }

        var rawCluster = Find(rows, $"{Hub}, 2 nodes", "raw", "burst", "cluster");
        var rawOne = Find(rows, Hub, "raw", "burst", "");
        if (rawCluster is { } rc)
        {
            var one = OneNode(rows, rc);
            checks.Add(("2 nodes, 5,000-member room, burst: raw next to one node's raw burst", "≥ 0.7×",
                one is { } o ? $"{Members(rc)}: {Rate(rc)} / {Rate(o)} = {Ratio(rc, o, "deliveriesPerSecond")}" : "no one-node row",
                Met(rc, one, "deliveriesPerSecond", 0.7)));
        }

        var jsonCluster = Find(rows, $"{Hub}, 2 nodes", "signalr-json", "burst", "cluster");
        var minimalCluster = Find(rows, $"{Report.Baseline}, 2 nodes", "signalr-json", "burst", "cluster");
        if (jsonCluster is { } jc)
        {
            checks.Add(("2 nodes, 5,000-member room, burst: SignalR JSON next to the minimal SignalR hub on its Redis backplane, 2 nodes", "≥ 2×",
                minimalCluster is { } m ? $"{Members(jc)}: {Rate(jc)} / {Rate(m)} = {Ratio(jc, m, "deliveriesPerSecond")}" : "no row of the minimal hub on 2 nodes",
                Met(jc, minimalCluster, "deliveriesPerSecond", 2)));
        }

        var jsonOne = Find(rows, Hub, "signalr-json", "burst", "");
        var minimalOne = Find(rows, Report.Baseline, "signalr-json", "burst", "");
        if (jsonOne is { } j1)
        {
            checks.Add(("One node, 5,000-member room, burst: SignalR JSON next to the minimal SignalR hub", "≥ 1.2×",
                minimalOne is { } m ? $"{Members(j1)}: {Rate(j1)} / {Rate(m)} = {Ratio(j1, m, "deliveriesPerSecond")}" : "no row of the minimal hub",
                Met(j1, minimalOne, "deliveriesPerSecond", 1.2)));
        }

        if (rawOne is { } r1)
        {
            checks.Add(("One node, 5,000-member room, burst: raw deliveries/s", "≥ 1.6M/s",
                $"{Members(r1)}: {Rate(r1)}", Report.Value(r1, "deliveriesPerSecond") >= 1_600_000));
        }

        var withRedis = Find(rows, HubOnRedis, "signalr-json", "join", "join");
        var withoutRedis = Find(rows, Hub, "signalr-json", "join", "join");
        if (withRedis is { } wr)
        {
            checks.Add(("5,000 SignalR JSON clients join one room on a node with Wschat:Redis set", "within 60 s, all joined",
                $"{Report.Number(wr, "connections")} clients: joined after {Report.Number(wr, "joinedSeconds")} s{NotJoined(wr)}",
                Report.Value(wr, "joinedSeconds") <= 60 && Report.Value(wr, "notJoined") == 0));
            checks.Add(("… with no refused handshake", "0", $"{Refused(wr)} (dropped by the server: {Report.Number(wr, "droppedByServer")})",
                Refused(wr) == 0 && Report.Value(wr, "droppedByServer") == 0));
            checks.Add(("… connect rate with Redis next to the same node without Redis", "≥ 0.8×",
                withoutRedis is { } wo ? $"{Report.Number(wr, "connectPerSecond")} / {Report.Number(wo, "connectPerSecond")} connects/s = {Ratio(wr, wo, "connectPerSecond")}" : "no row without Redis",
                Met(wr, withoutRedis, "connectPerSecond", 0.8)));
        }

        if (checks.Count == 0)
        {
            return;
        }

        text.AppendLine("## Targets: 2 nodes on one Redis next to one node").AppendLine();
        text.AppendLine("Each ratio is between two rows of this run (tables below). The targets name the full sizes; a quick run's rooms are smaller, so its ratios only show the direction.").AppendLine();
        text.AppendLine("| target | needed | measured | met |");
        text.AppendLine("|---|---|---|---|");
        foreach (var (target, needed, measured, met) in checks)
        {
            text.AppendLine(CultureInfo.InvariantCulture, $"| {target} | {needed} | {measured} | {(met is null ? "–" : met.Value ? "yes" : "**no**")} |");
        }

        text.AppendLine();
    }

    /// <summary>Every room scenario run on 2 nodes next to the same room, server and protocol on one node.</summary>
    public static void SideBySide(StringBuilder text, List<JsonElement> rows)
    {
        var cluster = rows.Where(static r => Report.Value(r, "nodes") > 1 && Tag(r) is "cluster" or "cluster10k").ToList();
        const string Note = "Our hub's 2 nodes share one Redis (`Wschat:Redis`); the minimal SignalR hub's 2 nodes share SignalR's own Redis backplane (`AddStackExchangeRedis`). Members go round-robin over the nodes, so each room spans both. One node: the same server, protocol, scenario and room size from the tables below. Redis is flushed between scenarios.";
        Report.Table(text, "Burst: 2 nodes on one Redis next to one node (higher is better)", Report.Scenario(cluster, "burst"),
            ["members", "1 node deliveries/s", "2 nodes deliveries/s", "2 nodes / 1 node", "2 nodes delivered", "2 nodes p99 ms"],
            r => [Report.Number(r, "connections"), OneNodeNumber(rows, r, "deliveriesPerSecond"), Report.Number(r, "deliveriesPerSecond"), OneNodeRatio(rows, r, "deliveriesPerSecond"), Report.Delivered(r), Report.Number(r, "p99Ms")],
            Note);
        Report.Table(text, "Steady at 20 danmu/s: 2 nodes on one Redis next to one node (lower p99 is better)", Report.Scenario(cluster, "steady"),
            ["members", "1 node p99 ms", "2 nodes p99 ms", "2 nodes / 1 node", "2 nodes delivered", "2 nodes keeps up"],
            r => [Report.Number(r, "connections"), OneNodeNumber(rows, r, "p99Ms"), Report.Number(r, "p99Ms"), OneNodeRatio(rows, r, "p99Ms"), Report.Delivered(r), (Report.KeptUp(r) ? "yes" : "no") + NotJoined(r)]);
    }

    /// <summary>The big mixed room's pairs, one node and 2 nodes run one after the other: the first, then the repeats.</summary>
    public static void BigRoomRepeats(StringBuilder text, List<JsonElement> rows)
    {
        if (Find(rows, $"{Hub}, 2 nodes", "mixed", "steady", "cluster10k") is not { } big || BigRoomPairs(rows, big) is not { Count: > 1 } pairs)
        {
            return;
        }

        Report.Table(text, "The big mixed room at 20 danmu/s, one node and 2 nodes alternating (lower p99 is better)", [.. pairs.Select(static p => p.TwoNodes)],
            ["members", "1 node p50 ms", "1 node p99 ms", "2 nodes p50 ms", "2 nodes p99 ms", "2 nodes / 1 node p99", "delivered (1 node, 2 nodes)"],
            r => BigRoomPartner(rows, r) is { } one
                ? [Report.Number(r, "connections"), Report.Number(one, "p50Ms"), Report.Number(one, "p99Ms"), Report.Number(r, "p50Ms"), Report.Number(r, "p99Ms"),
                    Ratio(r, one, "p99Ms"), $"{Report.Delivered(one)}, {Report.Delivered(r)}"]
                : [],
            "A tail measured on a full box (servers and generator share the 2 cores) moves a lot from run to run, so the target takes the median pair. Rows: the first pair (in the big room tables above), then the repeats.");
    }

    /// <summary>SignalR JSON clients connecting to one node and joining one room, with and without Redis configured.</summary>
    public static void Joins(StringBuilder text, List<JsonElement> rows) =>
        Report.Table(text, "Connect and join one room: one node, with and without Redis", rows,
            ["clients", "connect s", "all joined after s", "connects/s", "refused handshakes", "not joined", "dropped by server", "server CPU s"],
            r => [Report.Number(r, "connections"), Report.Number(r, "connectSeconds"), Report.Number(r, "joinedSeconds"), Report.Number(r, "connectPerSecond"),
                Refused(r).ToString("#,0", CultureInfo.InvariantCulture), Report.Number(r, "notJoined"), Report.Number(r, "droppedByServer"), Report.Number(r, "serverCpuSeconds")],
            "Every client connects (64 at a time), sends the SignalR JSON handshake and joins the room at once; \"all joined after\" runs from the first connect until every member has seen a probe danmu. Refused handshakes: WebSocket upgrades that failed or were reset (each retried, at most twice) plus SignalR handshake errors. With Redis, the node keeps presence and the backplane in Redis (`Wschat:Redis`), as a cluster node does.");

    /// <summary>The big room's 2-node rows (the first, then the repeats, tagged "…-again1", "…-again2", …), each with its one-node row.</summary>
    private static List<(JsonElement TwoNodes, JsonElement OneNode)> BigRoomPairs(List<JsonElement> rows, JsonElement big) =>
        [.. rows.Where(r => r.GetProperty("label").GetString() == big.GetProperty("label").GetString() && Kind(r) == Kind(big) && r.GetProperty("scenario").GetString() == "steady"
                && (Tag(r) == Tag(big) || Tag(r).StartsWith($"{Tag(big)}-again", StringComparison.Ordinal)))
            .Select(r => (TwoNodes: r, OneNode: BigRoomPartner(rows, r)))
            .Where(static pair => pair.OneNode is not null)
            .Select(static pair => (pair.TwoNodes, pair.OneNode!.Value))];

    /// <summary>The one-node row of a big-room pair: a repeat's ran right before it, with the same "-againN".</summary>
    private static JsonElement? BigRoomPartner(List<JsonElement> rows, JsonElement twoNodes) =>
        Tag(twoNodes).IndexOf("-again", StringComparison.Ordinal) is var again and >= 0
            ? Find(rows, BaseLabel(twoNodes), Kind(twoNodes), "steady", "room10k" + Tag(twoNodes)[again..])
            : OneNode(rows, twoNodes);

    private static JsonElement? Find(List<JsonElement> rows, string label, string kind, string scenario, string tag) =>
        rows.Where(r => r.GetProperty("label").GetString() == label && Kind(r) == kind && r.GetProperty("scenario").GetString() == scenario && Tag(r) == tag)
            .Select(static r => (JsonElement?)r).FirstOrDefault();

    /// <summary>The one-node row of a cluster row's server, protocol, scenario and room size.</summary>
    private static JsonElement? OneNode(List<JsonElement> rows, JsonElement cluster) =>
        rows.Where(r => Report.Value(r, "nodes") == 1 && r.GetProperty("label").GetString() == BaseLabel(cluster) && Kind(r) == Kind(cluster)
                && r.GetProperty("scenario").GetString() == cluster.GetProperty("scenario").GetString()
                && Report.Value(r, "connections") == Report.Value(cluster, "connections") && Tag(r) is not ("join" or "many") && !Tag(r).Contains("-again", StringComparison.Ordinal))
            .Select(static r => (JsonElement?)r).FirstOrDefault();

    private static string OneNodeNumber(List<JsonElement> rows, JsonElement cluster, string field) =>
        OneNode(rows, cluster) is { } one ? Report.Number(one, field) : "–";

    private static string OneNodeRatio(List<JsonElement> rows, JsonElement cluster, string field) =>
        OneNode(rows, cluster) is { } one ? Ratio(cluster, one, field) : "–";

    private static bool? Met(JsonElement row, JsonElement? reference, string field, double ratio, bool atMost = false)
    {
        if (reference is not { } against || double.IsNaN(Report.Value(row, field)) || double.IsNaN(Report.Value(against, field)) || Report.Value(against, field) == 0)
        {
            return null;
        }

        var measured = Report.Value(row, field) / Report.Value(against, field);
        return atMost ? measured <= ratio : measured >= ratio;
    }

    private static string Ratio(JsonElement row, JsonElement against, string field) =>
        double.IsNaN(Report.Value(row, field)) || double.IsNaN(Report.Value(against, field)) || Report.Value(against, field) == 0
            ? "–"
            : Times(Report.Value(row, field) / Report.Value(against, field));

    private static string Times(double ratio) => ratio.ToString("0.00", CultureInfo.InvariantCulture) + "×";

    private static string Rate(JsonElement row) => Report.Number(row, "deliveriesPerSecond") + "/s";

    private static string Members(JsonElement row) => Report.Number(row, "connections") + " members";

    private static string NotJoined(JsonElement row) =>
        Report.Value(row, "notJoined") > 0 ? $" ({Report.Number(row, "notJoined")} never joined)" : "";

    private static double Refused(JsonElement row) =>
        (double.IsNaN(Report.Value(row, "connectRetries")) ? 0 : Report.Value(row, "connectRetries"))
        + (double.IsNaN(Report.Value(row, "handshakeErrors")) ? 0 : Report.Value(row, "handshakeErrors"));

    /// <summary>"wschat hub, 2 nodes" is "wschat hub" on 2 nodes.</summary>
    private static string BaseLabel(JsonElement row) => row.GetProperty("label").GetString()!.Split(", ")[0];

    private static string Kind(JsonElement row) => row.GetProperty("kind").GetString()!;

    private static string Tag(JsonElement row) => row.TryGetProperty("tag", out var tag) ? tag.GetString() ?? "" : "";
}
