using System.Globalization;

namespace Wschat.Hub.Identity;

/// <summary>
/// One node's uids from the clock: milliseconds since the Unix epoch times 1000, plus a counter.
/// A high-water mark in the data directory, written ahead of the uids it covers, makes a restart
/// start above every uid of the previous run even if the clock stepped back meanwhile. Values stay
/// below 2^53 until the year 2255.
/// </summary>
internal sealed class ClockUidAllocator : IUidAllocator
{
    private const long PerMillisecond = 1000;

    // How far the mark runs ahead: a minute of the clock, so it is written about once a minute.
    private const long MarkAhead = 60_000 * PerMillisecond;

    private readonly TimeProvider _time;
    private readonly string _markPath;
    private readonly Lock _gate = new();
    private long _last;
    private long _mark;

    /// <param name="time">The clock.</param>
    /// <param name="markPath">The file that keeps the high-water mark.</param>
    public ClockUidAllocator(TimeProvider time, string markPath)
    {
        _time = time;
        _markPath = markPath;
        Directory.CreateDirectory(Path.GetDirectoryName(markPath)!);
        _last = _mark = File.Exists(markPath) ? long.Parse(File.ReadAllText(markPath), CultureInfo.InvariantCulture) : 0;
    }

    public long Allocate()
    {
        var floor = _time.GetUtcNow().ToUnixTimeMilliseconds() * PerMillisecond;
        lock (_gate)
        {
            var next = Math.Max(_last + 1, floor);
            if (next > _mark)
            {
                WriteMark(next + MarkAhead);
            }

            return _last = next;
        }
    }

    /// <summary>Replaces the mark's file whole (a crash leaves the old one or the new one) and flushes it to disk.</summary>
    private void WriteMark(long mark)
    {
        var temporary = _markPath + ".tmp";
        using (var file = new FileStream(temporary, FileMode.Create, FileAccess.Write))
        {
            file.Write(System.Text.Encoding.ASCII.GetBytes(mark.ToString(CultureInfo.InvariantCulture)));
            file.Flush(flushToDisk: true);
        }

        File.Move(temporary, _markPath, overwrite: true);
        _mark = mark;
    }
}
