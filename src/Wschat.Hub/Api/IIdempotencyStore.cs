namespace Wschat.Hub.Api;

/// <summary>
/// Replies of requests made with an <c>Idempotency-Key</c>, kept for <see cref="Ttl"/>: a retry gets the
/// first reply instead of doing the work again. Keys are claimed before the work, so two concurrent
/// tries of one request cannot both do it.
/// </summary>
internal interface IIdempotencyStore
{
    /// <summary>How long a key and its reply are kept.</summary>
    public static readonly TimeSpan Ttl = TimeSpan.FromHours(24);

    /// <summary>
    /// Claims <paramref name="key"/> for a new request: <see cref="IdempotencyClaim.New"/>, or the stored reply
    /// of the first request, or <see cref="IdempotencyClaim.InProgress"/> while that one has none yet.
    /// </summary>
    Task<IdempotencyClaim> ClaimAsync(string key, CancellationToken cancellationToken);

    /// <summary>Stores the reply of the request that claimed <paramref name="key"/>.</summary>
    /// <param name="key">The key claimed.</param>
    /// <param name="reply">Never empty: Redis keeps a claim at work as the empty string.</param>
    /// <param name="cancellationToken">Cancels the write.</param>
    Task CompleteAsync(string key, string reply, CancellationToken cancellationToken);

    /// <summary>Gives the key up (the request failed): a retry does the work.</summary>
    Task ReleaseAsync(string key, CancellationToken cancellationToken);
}

/// <summary>What a claim found: nothing (the caller does the work), a reply, or a request still at work.</summary>
internal readonly record struct IdempotencyClaim(bool IsNew, string? Reply)
{
    public static IdempotencyClaim New { get; } = new(true, null);

    public static IdempotencyClaim InProgress { get; } = new(false, null);
}
