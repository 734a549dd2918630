using System.Collections.Concurrent;

namespace Wschat.Hub.Api;

/// <summary>
/// Idempotency keys of a single node. Every write lives <see cref="IIdempotencyStore.Ttl"/> from when it
/// was made, so writes expire in the order they were made: each is queued, and a claim drops the
/// expired ones from the head of the queue and looks at nothing else (each write is queued once and
/// dropped once: constant work a claim, amortised, however many keys are kept).
/// </summary>
internal sealed class MemoryIdempotencyStore(TimeProvider time) : IIdempotencyStore
{
    private readonly ConcurrentDictionary<string, KeptKey> _keys = new(StringComparer.Ordinal);

    // Guarded by itself.
    private readonly Queue<KeyValuePair<string, KeptKey>> _writes = new();

    public Task<IdempotencyClaim> ClaimAsync(string key, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        DropExpired(now);
        var claimed = new KeptKey(null, now + IIdempotencyStore.Ttl);
        var found = _keys.GetOrAdd(key, claimed);
        if (!ReferenceEquals(found, claimed))
        {
            return Task.FromResult(new IdempotencyClaim(false, found.Reply));
        }

        Queue(key, claimed);
        return Task.FromResult(IdempotencyClaim.New);
    }

    public Task CompleteAsync(string key, string reply, CancellationToken cancellationToken)
    {
        var completed = new KeptKey(reply, time.GetUtcNow() + IIdempotencyStore.Ttl);
        _keys[key] = completed;
        Queue(key, completed);
        return Task.CompletedTask;
    }

    public Task ReleaseAsync(string key, CancellationToken cancellationToken)
    {
        // Its queued write stays until it expires, and then removes nothing: the key holds another entry or none.
        _keys.TryRemove(key, out _);
        return Task.CompletedTask;
    }

    private void Queue(string key, KeptKey entry)
    {
        lock (_writes)
        {
            _writes.Enqueue(new(key, entry));
        }
    }

    private void DropExpired(DateTimeOffset now)
    {
        lock (_writes)
        {
            while (_writes.TryPeek(out var oldest) && oldest.Value.Expires <= now)
            {
                _writes.Dequeue();

                // Only this write's entry: a key completed or claimed again since keeps its newer one.
                _keys.TryRemove(oldest);
            }
        }
    }

    // A class, not a record: an entry is removed only by the write that made it, never by an equal one.
    private sealed class KeptKey(string? reply, DateTimeOffset expires)
    {
        public string? Reply { get; } = reply;

        public DateTimeOffset Expires { get; } = expires;
    }
}
