using System.Diagnostics;

namespace Wschat.LoadGen;

/// <summary>Counts deliveries and keeps each one's latency (from the send timestamp in the text) for percentiles.</summary>
internal sealed class LatencyRecorder(int capacity)
{
    private readonly long[] _microseconds = new long[capacity];
    private int _count;

    public int Count => Volatile.Read(ref _count);

    /// <summary>
    /// Records every delivery in a received frame (SignalR may batch several messages in one):
    /// each text carries <c>t=&lt;stopwatch ticks&gt;;</c>.
    /// </summary>
    public void Record(ReadOnlySpan<byte> frame)
    {
        var now = Stopwatch.GetTimestamp();
        while (frame.IndexOf("t="u8) is var marker and >= 0)
        {
            frame = frame[(marker + 2)..];
            var digits = frame.IndexOfAnyExceptInRange((byte)'0', (byte)'9');
            if (digits <= 0 || frame[digits] != (byte)';')
            {
                continue;
            }

            var sent = long.Parse(frame[..digits], provider: System.Globalization.CultureInfo.InvariantCulture);
            var index = Interlocked.Increment(ref _count) - 1;
            if (index < _microseconds.Length)
            {
                _microseconds[index] = (now - sent) * 1_000_000 / Stopwatch.Frequency;
            }
        }
    }

    public (double P50, double P99, double Max) PercentilesMilliseconds()
    {
        var n = Math.Min(Count, _microseconds.Length);
        if (n == 0)
        {
            return (double.NaN, double.NaN, double.NaN);
        }

        var sorted = _microseconds[..n];
        Array.Sort(sorted);
        return (sorted[(int)(n * 0.50)] / 1000.0, sorted[Math.Min(n - 1, (int)(n * 0.99))] / 1000.0, sorted[n - 1] / 1000.0);
    }
}
