using Wschat.Hub.Identity;
using Wschat.Tests.Infrastructure;
using Xunit.Abstractions;

namespace Wschat.Tests.Identity;

/// <summary>
/// What every <see cref="IUidAllocator"/> does: uids are positive, safe as JavaScript numbers, unique across
/// the cluster's nodes and never handed out again after a restart. Two nodes are two allocators of one
/// cluster (a single node's are its one allocator); a restart is a new allocator on what the node keeps (its
/// data directory; in a cluster, Redis). Every node runs on the test's <see cref="Clock"/>.
/// </summary>
public abstract class UidAllocatorSpecification(ITestOutputHelper output) : BackendSpecification(output)
{
    private protected const long MaxSafeInteger = (1L << 53) - 1;

    /// <summary>The clock of every node of the test.</summary>
    private protected ManualClock Clock { get; } = new(DateTimeOffset.UtcNow);

    /// <summary>A new node of the test's cluster, ready for connections as a started server is.</summary>
    private protected abstract Task<IUidAllocator> CreateNodeAsync();

    /// <summary><paramref name="node"/> started again.</summary>
    private protected abstract Task<IUidAllocator> RestartAsync(IUidAllocator node);

    private protected static long[] Allocate(IUidAllocator allocator, int count) => [.. Enumerable.Range(0, count).Select(_ => allocator.Allocate())];

    private protected static void AssertUniqueAndSafe(IReadOnlyCollection<long> uids)
    {
        Assert.Equal(uids.Count, uids.Distinct().Count());
        Assert.All(uids, static uid => Assert.InRange(uid, 1, MaxSafeInteger));
    }

    [Fact]
    public async Task Uids_of_two_nodes_are_unique_positive_and_safe_as_JavaScript_numbers()
    {
        var a = await CreateNodeAsync();
        var b = await CreateNodeAsync();

        // Several blocks' worth on each, in turns.
        var uids = Enumerable.Range(0, 5).SelectMany(_ => Allocate(a, 500).Concat(Allocate(b, 500))).ToArray();

        AssertUniqueAndSafe(uids);
    }

    [Fact]
    public async Task Uids_allocated_by_two_nodes_from_many_threads_at_once_are_unique()
    {
        IUidAllocator[] nodes = [await CreateNodeAsync(), await CreateNodeAsync()];
        var uids = new long[8][];

        // 8 x 700 uids: on Redis several blocks of 1,000 per node, so leases race with allocations (a caller
        // that finds its block dry takes uids from its node's own range instead of waiting).
        var threads = Enumerable.Range(0, uids.Length).Select(i => new Thread(() => uids[i] = Allocate(nodes[i % 2], 700))).ToArray();
        Array.ForEach(threads, static t => t.Start());
        Assert.All(threads, static t => Assert.True(t.Join(TaskTimeouts.Default), "a thread still allocating"));

        AssertUniqueAndSafe([.. uids.SelectMany(static u => u)]);
    }

    [Fact]
    public async Task A_node_restarted_at_once_never_hands_out_a_uid_of_its_previous_run()
    {
        var node = await CreateNodeAsync();
        var previousRun = Allocate(node, 1500);

        var nextRun = Allocate(await RestartAsync(node), 1500);

        AssertUniqueAndSafe([.. previousRun, .. nextRun]);
    }

    [Fact]
    public async Task A_node_restarted_after_its_clock_stepped_back_an_hour_never_hands_out_a_uid_of_its_previous_run()
    {
        var node = await CreateNodeAsync();
        var previousRun = Allocate(node, 1500);

        Clock.Advance(TimeSpan.FromHours(-1));
        var nextRun = Allocate(await RestartAsync(node), 1500);

        AssertUniqueAndSafe([.. previousRun, .. nextRun]);
    }
}

/// <summary>A clock that moves only when told, backwards too (a <c>FakeTimeProvider</c> never goes back).</summary>
internal sealed class ManualClock(DateTimeOffset now) : TimeProvider
{
    private DateTimeOffset _now = now;

    public override DateTimeOffset GetUtcNow() => _now;

    public void Advance(TimeSpan by) => _now += by;
}
