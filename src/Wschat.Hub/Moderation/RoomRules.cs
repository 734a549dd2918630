using System.Collections.Immutable;
using System.Globalization;

namespace Wschat.Hub.Moderation;

/// <summary>
/// A room's rules, set through the HTTP API: whether only admins may post, who may not post until when,
/// and who may not join. Mutes are keyed by <see cref="UidKey"/> (one connection) and <see cref="LoginKey"/>
/// (a verified login id, which a reconnect keeps). Immutable: a change makes a new one.
/// </summary>
internal sealed record RoomRules(bool Silenced, ImmutableDictionary<string, DateTimeOffset> MutedUntil, ImmutableDictionary<string, RoomBan> Bans)
{
    private const string LoginKeyPrefix = "login:";

    public static RoomRules None { get; } = new(false, ImmutableDictionary<string, DateTimeOffset>.Empty, ImmutableDictionary<string, RoomBan>.Empty);

    /// <summary>A uid's mute key: its digits (never the same as a <see cref="LoginKey"/>).</summary>
    public static string UidKey(long uid) => uid.ToString(CultureInfo.InvariantCulture);

    public static string LoginKey(string loginId) => LoginKeyPrefix + loginId;

    /// <summary>Whether a mute holds the connection's uid or its verified login id (null: none).</summary>
    public bool IsMuted(long uid, string? loginId, DateTimeOffset now) =>
        IsMuted(UidKey(uid), now) || (loginId is not null && IsMuted(LoginKey(loginId), now));

    /// <summary>Also forgets the mutes that are over, so a room's rules never grow with past mutes.</summary>
    public RoomRules Muting(IEnumerable<string> keys, DateTimeOffset until, DateTimeOffset now) =>
        this with { MutedUntil = MutedUntil.RemoveRange(MutedUntil.Where(m => m.Value <= now).Select(static m => m.Key)).SetItems(keys.Select(k => KeyValuePair.Create(k, until))) };

    /// <summary>The first ban in force that holds the login id or the address block; null if none does.</summary>
    public RoomBan? FindBan(string? loginId, string addressBlock, DateTimeOffset now) =>
        Bans.Values.FirstOrDefault(b => b.Until > now && b.Holds(loginId, addressBlock));

    /// <summary>The bans in force.</summary>
    public IEnumerable<RoomBan> ActiveBans(DateTimeOffset now) => Bans.Values.Where(b => b.Until > now).OrderBy(static b => b.Until);

    /// <summary>Also forgets the bans that are over.</summary>
    public RoomRules Banning(RoomBan ban, DateTimeOffset now) =>
        this with { Bans = Bans.RemoveRange(Bans.Values.Where(b => b.Until <= now).Select(static b => b.Id)).SetItem(ban.Id, ban) };

    private bool IsMuted(string key, DateTimeOffset now) => MutedUntil.TryGetValue(key, out var until) && until > now;
}

/// <summary>
/// A ban from a room until <see cref="Until"/>: joins (and logins in the room) by the verified login id
/// <see cref="UserId"/>, or from the address block <see cref="Ip"/> (<see cref="AddressBlocks.Key(System.Net.IPAddress?)"/>), are refused.
/// </summary>
internal sealed record RoomBan(string Id, string? UserId, string? Ip, DateTimeOffset Until)
{
    public bool Holds(string? loginId, string addressBlock) =>
        (UserId is not null && UserId == loginId) || (Ip is not null && Ip == addressBlock);
}

/// <summary>Where room rules live: in memory on a single node, in Redis (cached on each node) in a cluster. Ends are kept to the millisecond.</summary>
internal interface IRoomRuleStore
{
    /// <summary>The room's rules; from memory in the common case (it runs for every danmu, text and join).</summary>
    ValueTask<RoomRules> GetAsync(string room, CancellationToken cancellationToken);

    /// <summary>Mutes each of the keys (<see cref="RoomRules.UidKey"/>s and <see cref="RoomRules.LoginKey"/>s) until then.</summary>
    Task MuteAsync(string room, IReadOnlyList<string> keys, DateTimeOffset until, CancellationToken cancellationToken);

    Task SetSilencedAsync(string room, bool silenced, CancellationToken cancellationToken);

    Task BanAsync(string room, RoomBan ban, CancellationToken cancellationToken);

    /// <returns>False if the room has no ban of that id.</returns>
    Task<bool> LiftBanAsync(string room, string id, CancellationToken cancellationToken);
}
