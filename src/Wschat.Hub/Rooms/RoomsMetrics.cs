using System.Diagnostics.Metrics;

namespace Wschat.Hub.Rooms;

/// <summary>How room messages travel (meter <c>Wschat.Rooms</c>): the size of each batch sent to the backplane.</summary>
internal static class RoomsMetrics
{
    private static readonly Meter s_meter = new("Wschat.Rooms");
    private static readonly Histogram<int> s_batchSize = s_meter.CreateHistogram<int>(
        "wschat.rooms.batch_size", unit: "{message}", description: "Messages per backplane publish of one room.");

    public static void BatchSent(int messages) => s_batchSize.Record(messages);
}
