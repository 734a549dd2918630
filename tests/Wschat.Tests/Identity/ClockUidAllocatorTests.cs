using System.Globalization;
using Wschat.Hub.Identity;
using Wschat.Tests.Infrastructure;
using Xunit.Abstractions;

namespace Wschat.Tests.Identity;

/// <summary>The uids of a single node, from its clock above a mark kept in its data directory.</summary>
public sealed class ClockUidAllocatorTests(ITestOutputHelper output) : UidAllocatorSpecification(output)
{
    private readonly string _markPath = MarkPath();
    private IUidAllocator? _node;

    private protected override Task<IUidAllocator> CreateNodeAsync() => Task.FromResult(_node ??= new ClockUidAllocator(Clock, _markPath));

    private protected override Task<IUidAllocator> RestartAsync(IUidAllocator node) => Task.FromResult(_node = new ClockUidAllocator(Clock, _markPath));

    [Theory]
    [InlineData("2014-10-10T16:04:35Z")]
    [InlineData("2025-06-07T05:16:54Z")]
    [InlineData("2250-01-01T00:00:00Z")]
    public void Uids_strictly_increase_within_one_millisecond_and_stay_below_2_pow_53(string now)
    {
        var allocator = new ClockUidAllocator(new ManualClock(DateTimeOffset.Parse(now, CultureInfo.InvariantCulture)), MarkPath());

        var uids = Allocate(allocator, 999);

        Assert.All(uids.Zip(uids.Skip(1)), static pair => Assert.True(pair.Second > pair.First));
        Assert.All(uids, static uid => Assert.InRange(uid, 1, MaxSafeInteger));
    }

    [Fact]
    public async Task A_clock_stepping_back_does_not_make_uids_go_back()
    {
        var node = await CreateNodeAsync();
        var before = node.Allocate();

        Clock.Advance(TimeSpan.FromSeconds(-5));

        Assert.True(node.Allocate() > before);
    }

    /// <summary>The mark runs ahead of the uids it covers, so a restart starts above them whatever the clock says.</summary>
    [Theory]
    [InlineData(0.001)]
    [InlineData(-3600)]
    public async Task A_restart_starts_above_every_uid_of_the_previous_run(double clockStepSeconds)
    {
        var previousRun = Allocate(await CreateNodeAsync(), 999);

        Clock.Advance(TimeSpan.FromSeconds(clockStepSeconds));

        Assert.True((await RestartAsync(_node!)).Allocate() > previousRun.Max());
    }

    private static string MarkPath() => Path.Combine(TempDirectory.Create(), "uid-mark");
}
