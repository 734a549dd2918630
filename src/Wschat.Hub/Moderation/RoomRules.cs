using System.Collections.Immutable;

namespace Wschat.Hub.Moderation;

/// <summary>
/// A room's rules, set through the HTTP API: whether only admins may post, and who may not post
/// until when. Immutable: a change makes a new one.
/// </summary>
internal sealed record RoomRules(bool Silenced, ImmutableDictionary<long, DateTimeOffset> MutedUntil)
{
    public static RoomRules None { get; } = new(false, ImmutableDictionary<long, DateTimeOffset>.Empty);

    public bool IsMuted(long uid, DateTimeOffset now) => MutedUntil.TryGetValue(uid, out var until) && until > now;

    /// <summary>Also forgets the mutes that are over, so a room's rules never grow with past mutes.</summary>
    public RoomRules Muting(long uid, DateTimeOffset until, DateTimeOffset now) =>
        this with { MutedUntil = MutedUntil.RemoveRange(MutedUntil.Where(m => m.Value <= now).Select(static m => m.Key)).SetItem(uid, until) };
}

/// <summary>Where room rules live: in memory on a single node, in Redis (cached on each node) in a cluster.</summary>
internal interface IRoomRuleStore
{
    /// <summary>The room's rules; from memory in the common case (it runs for every danmu and text).</summary>
    ValueTask<RoomRules> GetAsync(string room, CancellationToken cancellationToken);

    Task MuteAsync(string room, long uid, DateTimeOffset until, CancellationToken cancellationToken);

    Task SetSilencedAsync(string room, bool silenced, CancellationToken cancellationToken);
}
