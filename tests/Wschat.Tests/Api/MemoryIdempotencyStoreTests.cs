using System.Diagnostics;
using System.Runtime.CompilerServices;
using Microsoft.Extensions.Time.Testing;
using Wschat.Hub.Api;
using Xunit.Abstractions;

namespace Wschat.Tests.Api;

/// <summary>A single node's idempotency keys: each kept 24 h from its last write, and a claim costs the same however many are kept.</summary>
public sealed class MemoryIdempotencyStoreTests : IdempotencyStoreSpecification
{
    private static readonly TimeSpan Ttl = IIdempotencyStore.Ttl;
    private readonly FakeTimeProvider _time = new(DateTimeOffset.UtcNow);
    private readonly MemoryIdempotencyStore _store;

    public MemoryIdempotencyStoreTests(ITestOutputHelper output)
        : base(output) => _store = new MemoryIdempotencyStore(_time);

    private protected override Task<IIdempotencyStore> CreateNodeAsync() => Task.FromResult<IIdempotencyStore>(_store);

    [Fact]
    public async Task A_key_is_in_progress_once_claimed_then_replays_its_reply_until_24_h_after_completion()
    {
        Assert.Equal(IdempotencyClaim.New, await ClaimAsync("k"));
        Assert.Equal(IdempotencyClaim.InProgress, await ClaimAsync("k"));

        // Completed near the end of the claim's day: the reply is kept a day from then.
        _time.Advance(Ttl - TimeSpan.FromHours(1));
        await _store.CompleteAsync("k", "reply", default);
        _time.Advance(TimeSpan.FromHours(2));
        Assert.Equal(new IdempotencyClaim(false, "reply"), await ClaimAsync("k"));

        _time.Advance(Ttl);
        Assert.Equal(IdempotencyClaim.New, await ClaimAsync("k"));
    }

    [Fact]
    public async Task A_released_key_is_claimed_again_at_once_and_its_first_claims_expiry_does_not_end_the_second()
    {
        Assert.Equal(IdempotencyClaim.New, await ClaimAsync("k"));
        await _store.ReleaseAsync("k", default);
        _time.Advance(TimeSpan.FromHours(1));
        Assert.Equal(IdempotencyClaim.New, await ClaimAsync("k"));

        _time.Advance(Ttl - TimeSpan.FromMinutes(30));
        Assert.Equal(IdempotencyClaim.InProgress, await ClaimAsync("k"));
    }

    [Fact]
    public async Task An_expired_reply_is_let_go()
    {
        var reply = CompleteWithReply("k");

        _time.Advance(Ttl);
        await ClaimAsync("another");
        GC.Collect();
        GC.WaitForPendingFinalizers();

        Assert.False(reply.IsAlive, "the store still holds a reply a day old");
    }

    /// <summary>
    /// 200,000 claims, one a second: from the second day on, a day's 86,400 keys are kept. A claim that
    /// looked at every key (as one did) made this take many minutes (9,000 claims: 5.5 s); dropping the
    /// expired ones from the head of a queue, about a second. The 20 s bound has a wide margin both ways.
    /// </summary>
    [Fact]
    public async Task A_claim_costs_the_same_however_many_keys_are_kept()
    {
        const int Claims = 200_000;
        var bound = TimeSpan.FromSeconds(20);
        var clock = Stopwatch.StartNew();
        for (var i = 0; i < Claims; i++)
        {
            Assert.Equal(IdempotencyClaim.New, await ClaimAsync($"key-{i}"));
            _time.Advance(TimeSpan.FromSeconds(1));
            if (i % 1000 == 0 && clock.Elapsed > bound)
            {
                Assert.Fail($"{i} claims took {clock.Elapsed.TotalSeconds:F1} s");
            }
        }

        Assert.True(clock.Elapsed < bound, $"{Claims} claims took {clock.Elapsed.TotalSeconds:F1} s");
        Assert.Equal(IdempotencyClaim.New, await ClaimAsync($"key-{Claims - (int)Ttl.TotalSeconds - 1}"));
        Assert.Equal(IdempotencyClaim.InProgress, await ClaimAsync($"key-{Claims - (int)Ttl.TotalSeconds + 1}"));
    }

    private Task<IdempotencyClaim> ClaimAsync(string key) => _store.ClaimAsync(key, default);

    /// <summary>Claims and completes <paramref name="key"/> with a reply only the store holds (it completes at once).</summary>
    [MethodImpl(MethodImplOptions.NoInlining)]
    private WeakReference CompleteWithReply(string key)
    {
        var reply = new string('r', 100);
        Assert.True(_store.ClaimAsync(key, default).IsCompletedSuccessfully);
        Assert.True(_store.CompleteAsync(key, reply, default).IsCompletedSuccessfully);
        return new WeakReference(reply);
    }
}
