using Wschat.Hub.Api;
using Wschat.Tests.Infrastructure;
using Xunit.Abstractions;

namespace Wschat.Tests.Api;

/// <summary>
/// What every <see cref="IIdempotencyStore"/> does: one claim of a key does the work, and a retry through any
/// node gets its reply. Two nodes are two stores of one cluster (in memory both are the one store of a single
/// node). Keys expire 24 h after their last write; each implementation's tests check that its own way (a fake
/// clock in memory, the key's TTL in Redis). Replies are never empty (the API's are JSON): Redis keeps a claim
/// at work as the empty string, so an empty reply would read there as a request still at work, and in memory
/// as a reply; no test makes one.
/// </summary>
public abstract class IdempotencyStoreSpecification(ITestOutputHelper output) : BackendSpecification(output)
{
    // As the messages API makes a key: the room, a line break, the client's key.
    private const string Key = "直播间\nretry-1";

    private static readonly IdempotencyClaim Replayed = new(false, """{"room":"直播间","epoch":"e😀","offset":7}""");

    /// <summary>A new node of the test's cluster.</summary>
    private protected abstract Task<IIdempotencyStore> CreateNodeAsync();

    private async Task<(IIdempotencyStore A, IIdempotencyStore B)> TwoNodesAsync() => (await CreateNodeAsync(), await CreateNodeAsync());

    private static Task<IdempotencyClaim> ClaimAsync(IIdempotencyStore node, string key = Key) => node.ClaimAsync(key, None).DefaultTimeout();

    [Fact]
    public async Task A_key_is_new_to_its_first_claim_and_in_progress_to_every_later_one_through_any_node()
    {
        var (a, b) = await TwoNodesAsync();

        Assert.Equal(IdempotencyClaim.New, await ClaimAsync(a));

        Assert.Equal(IdempotencyClaim.InProgress, await ClaimAsync(b));
        Assert.Equal(IdempotencyClaim.InProgress, await ClaimAsync(a));
    }

    [Fact]
    public async Task A_completed_key_gives_its_reply_to_every_later_claim_through_any_node()
    {
        var (a, b) = await TwoNodesAsync();
        await ClaimAsync(a);

        await a.CompleteAsync(Key, Replayed.Reply!, None).DefaultTimeout();

        Assert.Equal(Replayed, await ClaimAsync(b));
        Assert.Equal(Replayed, await ClaimAsync(b));
        Assert.Equal(Replayed, await ClaimAsync(a));
    }

    [Fact]
    public async Task A_released_key_is_new_again_to_one_claim_through_any_node()
    {
        var (a, b) = await TwoNodesAsync();
        await ClaimAsync(a);

        await a.ReleaseAsync(Key, None).DefaultTimeout();

        Assert.Equal(IdempotencyClaim.New, await ClaimAsync(b));
        Assert.Equal(IdempotencyClaim.InProgress, await ClaimAsync(a));
    }

    [Fact]
    public async Task Keys_are_told_apart_exactly()
    {
        var (a, b) = await TwoNodesAsync();
        string[] keys = [Key, "直播间\nRETRY-1", "直播间\nretry-1 ", "直播间 retry-1", "other\nretry-1"];
        await ClaimAsync(a);
        await a.CompleteAsync(Key, Replayed.Reply!, None).DefaultTimeout();

        foreach (var key in keys.Skip(1))
        {
            Assert.Equal(IdempotencyClaim.New, await ClaimAsync(b, key));
        }

        Assert.Equal(Replayed, await ClaimAsync(b));
    }

    [Fact]
    public async Task Of_many_concurrent_claims_of_one_key_through_two_nodes_exactly_one_is_new()
    {
        const int Claims = 40;
        var (a, b) = await TwoNodesAsync();

        var claims = await Task.WhenAll(Enumerable.Range(0, Claims).Select(i => Task.Run(() => ClaimAsync(i % 2 == 0 ? a : b))));

        Assert.Single(claims, static c => c == IdempotencyClaim.New);
        Assert.Equal(Claims - 1, claims.Count(static c => c == IdempotencyClaim.InProgress));
    }
}
