using System.Globalization;
using System.Text;
using System.Text.Json;
using ScottPlot;

namespace Wschat.LoadGen;

/// <summary>
/// PNG bar charts of a run (ScottPlot on SkiaSharp's self-contained Linux build: no native package
/// to install, only a TrueType font under /usr/share/fonts, e.g. Debian's fonts-dejavu-core).
/// </summary>
internal static class Charts
{
    private const string Folder = "benchmarks";

    private sealed record Series(string Field, string Legend, Color Color);

    private sealed record Chart(string File, string Title, string Unit, List<JsonElement> Rows, Series[] Series);

    private static readonly Color First = Colors.SteelBlue;
    private static readonly Color Second = Colors.OrangeRed;

    /// <summary>Writes every chart the run has data for into <paramref name="folder"/>.</summary>
    public static void Write(List<JsonElement> rows, string folder)
    {
        Directory.CreateDirectory(folder);
        foreach (var chart in For(rows))
        {
            Draw(chart, Path.Combine(folder, chart.File));
        }
    }

    /// <summary>The markdown that shows the charts, relative to docs/benchmarks.md.</summary>
    public static void Links(StringBuilder text, List<JsonElement> rows)
    {
        var charts = For(rows);
        if (charts.Count == 0)
        {
            return;
        }

        text.AppendLine("## Charts").AppendLine();
        foreach (var chart in charts)
        {
            text.AppendLine(CultureInfo.InvariantCulture, $"![{chart.Title}]({Folder}/{chart.File})").AppendLine();
        }
    }

    private static List<Chart> For(List<JsonElement> rows)
    {
        var main = Report.Tagged(rows, "");
        var big = Report.Scenario(Report.Tagged(rows, "room10k"), "steady");
        var steady = Report.Scenario(main, "steady");
        List<Chart> charts =
        [
            new("burst-deliveries.png", "Burst: deliveries per second (higher is better)", "deliveries/s", Report.Scenario(main, "burst"),
                [new("deliveriesPerSecond", "deliveries/s", First)]),
            new("idle-memory.png", "Idle: server memory per connection (lower is better)", "KB per connection", Report.Scenario(main, "idle"),
                [new("rssKbPerConnection", "KB/connection", First)]),
            new("steady-latency.png", $"Steady, {Members(steady)}-member room, 20 danmu/s: latency (lower is better)", "ms", steady,
                [new("p50Ms", "p50", First), new("p99Ms", "p99", Second)]),
            new("steady-latency-big-room.png", $"Steady, {Members(big)}-member room, 20 danmu/s: latency (lower is better)", "ms", big,
                [new("p50Ms", "p50", First), new("p99Ms", "p99", Second)]),
        ];
        return charts.Where(static c => c.Rows.Count > 0).ToList();
    }

    private static string Members(List<JsonElement> rows) =>
        rows.Count == 0 ? "" : Report.Value(rows[0], "connections").ToString("#,0", CultureInfo.InvariantCulture);

    /// <summary>Horizontal bars, one group per server and protocol, the first row at the top.</summary>
    private static void Draw(Chart chart, string file)
    {
        var plot = new Plot();
        var group = chart.Series.Length + 1;
        var names = chart.Rows.Select(static r => $"{r.GetProperty("label").GetString()} ({r.GetProperty("kind").GetString()})").ToArray();
        var bars = new List<Bar>();
        for (var row = 0; row < chart.Rows.Count; row++)
        {
            for (var s = 0; s < chart.Series.Length; s++)
            {
                var value = Report.Value(chart.Rows[row], chart.Series[s].Field);
                bars.Add(new Bar
                {
                    Position = (chart.Rows.Count - 1 - row) * group + (chart.Series.Length - 1 - s),
                    Value = double.IsNaN(value) ? 0 : value,
                    FillColor = chart.Series[s].Color,
                    Label = double.IsNaN(value) ? "–" : value.ToString("#,0.#", CultureInfo.InvariantCulture),
                });
            }
        }

        var barPlot = plot.Add.Bars(bars);
        barPlot.Horizontal = true;
        barPlot.ValueLabelStyle.FontSize = 12;
        plot.Axes.Left.SetTicks(names.Select((_, row) => (chart.Rows.Count - 1 - row) * group + (chart.Series.Length - 1) / 2.0).ToArray(), names);
        plot.Axes.Left.MajorTickStyle.Length = 0;

        // Room on the right for the last tick label and the value labels of the longest bar.
        plot.Axes.Right.MinimumSize = 50;
        plot.Axes.Margins(left: 0, right: 0.15);
        plot.Grid.YAxisStyle.MajorLineStyle.Width = 0;
        if (chart.Series.Length > 1)
        {
            foreach (var series in chart.Series)
            {
                plot.Legend.ManualItems.Add(new LegendItem { LabelText = series.Legend, FillColor = series.Color });
            }

            plot.ShowLegend(Alignment.LowerRight);
        }

        plot.Title(chart.Title);
        plot.XLabel(chart.Unit);
        plot.SavePng(file, 1000, 120 + (60 * chart.Rows.Count * chart.Series.Length));
    }
}
