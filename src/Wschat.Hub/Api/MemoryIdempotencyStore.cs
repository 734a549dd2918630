using System.Collections.Concurrent;

namespace Wschat.Hub.Api;

/// <summary>Idempotency keys of a single node; expired ones are dropped as new keys come in.</summary>
internal sealed class MemoryIdempotencyStore(TimeProvider time) : IIdempotencyStore
{
    private readonly ConcurrentDictionary<string, Entry> _keys = new(StringComparer.Ordinal);

    public Task<IdempotencyClaim> ClaimAsync(string key, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        foreach (var (old, entry) in _keys)
        {
            if (entry.Expires <= now)
            {
                _keys.TryRemove(new KeyValuePair<string, Entry>(old, entry));
            }
        }

        var claimed = new Entry(null, now + IIdempotencyStore.Ttl);
        var found = _keys.GetOrAdd(key, claimed);
        return Task.FromResult(ReferenceEquals(found, claimed) ? IdempotencyClaim.New : new IdempotencyClaim(false, found.Reply));
    }

    public Task CompleteAsync(string key, string reply, CancellationToken cancellationToken)
    {
        _keys[key] = new Entry(reply, time.GetUtcNow() + IIdempotencyStore.Ttl);
        return Task.CompletedTask;
    }

    public Task ReleaseAsync(string key, CancellationToken cancellationToken)
    {
        _keys.TryRemove(key, out _);
        return Task.CompletedTask;
    }

    private sealed record Entry(string? Reply, DateTimeOffset Expires);
}
