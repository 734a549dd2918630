using Wschat.Hub.Identity;

namespace Wschat.Tests.Hosting;

/// <summary>Uids from the clock: unique, increasing, safe as JavaScript numbers, never reused after a restart.</summary>
public sealed class UidAllocatorTests
{
    private const long MaxSafeInteger = (1L << 53) - 1;

    [Theory]
    [InlineData("2014-10-10T16:04:35Z")]
    [InlineData("2025-06-07T05:16:54Z")]
    [InlineData("2250-01-01T00:00:00Z")]
    public void Uids_strictly_increase_within_one_millisecond_and_stay_below_2_pow_53(string now)
    {
        var allocator = new ClockUidAllocator(new ManualClock(DateTimeOffset.Parse(now, System.Globalization.CultureInfo.InvariantCulture)));

        var uids = Allocate(allocator, 999);

        Assert.All(uids.Zip(uids.Skip(1)), static pair => Assert.True(pair.Second > pair.First));
        Assert.All(uids, static uid => Assert.InRange(uid, 1, MaxSafeInteger));
    }

    [Fact]
    public void A_restart_one_millisecond_later_starts_above_every_uid_of_the_previous_run()
    {
        var clock = new ManualClock(DateTimeOffset.UtcNow);
        var previousRun = Allocate(new ClockUidAllocator(clock), 999);

        clock.Advance(TimeSpan.FromMilliseconds(1));

        Assert.True(new ClockUidAllocator(clock).Allocate() > previousRun.Max());
    }

    [Fact]
    public void A_clock_stepping_back_does_not_make_uids_go_back()
    {
        var clock = new ManualClock(DateTimeOffset.UtcNow);
        var allocator = new ClockUidAllocator(clock);
        var before = allocator.Allocate();

        clock.Advance(TimeSpan.FromSeconds(-5));

        Assert.True(allocator.Allocate() > before);
    }

    [Fact]
    public void Uids_allocated_from_many_threads_at_once_are_unique()
    {
        var allocator = new ClockUidAllocator(new ManualClock(DateTimeOffset.UtcNow));
        var uids = new long[8][];

        Parallel.For(0, uids.Length, i => uids[i] = Allocate(allocator, 500));

        var all = uids.SelectMany(static u => u).ToArray();
        Assert.Equal(all.Length, all.Distinct().Count());
    }

    private static long[] Allocate(ClockUidAllocator allocator, int count) => Enumerable.Range(0, count).Select(_ => allocator.Allocate()).ToArray();

    /// <summary>A clock that moves only when told (Microsoft.Extensions.TimeProvider.Testing is not referenced).</summary>
    private sealed class ManualClock(DateTimeOffset now) : TimeProvider
    {
        private DateTimeOffset _now = now;

        public override DateTimeOffset GetUtcNow() => _now;

        public void Advance(TimeSpan by) => _now += by;
    }
}
