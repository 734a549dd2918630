using Wschat.Hub.Identity;

namespace Wschat.Tests.Hosting;

public sealed class UidAllocatorTests
{
    [Fact]
    public void Uids_increase_stay_below_2_pow_53_and_a_restart_one_millisecond_later_starts_above()
    {
        var clock = new ManualClock(DateTimeOffset.UtcNow);
        var first = new ClockUidAllocator(clock);
        var uids = Enumerable.Range(0, 999).Select(_ => first.Allocate()).ToArray();

        clock.Advance(TimeSpan.FromMilliseconds(1));
        var restarted = new ClockUidAllocator(clock).Allocate();

        Assert.Equal(uids.Order(), uids);
        Assert.Equal(uids.Length, uids.Distinct().Count());
        Assert.All(uids, static uid => Assert.InRange(uid, 1, (1L << 53) - 1));
        Assert.True(restarted > uids.Max());
    }

    private sealed class ManualClock(DateTimeOffset now) : TimeProvider
    {
        private DateTimeOffset _now = now;

        public override DateTimeOffset GetUtcNow() => _now;

        public void Advance(TimeSpan by) => _now += by;
    }
}
