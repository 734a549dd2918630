using System.Collections.Concurrent;

namespace Wschat.Hub.Moderation;

/// <summary>Room rules of a single node.</summary>
internal sealed class MemoryRoomRuleStore(TimeProvider time) : IRoomRuleStore
{
    private readonly ConcurrentDictionary<string, RoomRules> _rooms = new(StringComparer.Ordinal);

    public ValueTask<RoomRules> GetAsync(string room, CancellationToken cancellationToken) =>
        ValueTask.FromResult(_rooms.GetValueOrDefault(room) ?? RoomRules.None);

    public Task MuteAsync(string room, IReadOnlyList<string> keys, DateTimeOffset until, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        Change(room, rules => rules.Muting(keys, until, now));
        return Task.CompletedTask;
    }

    public Task SetSilencedAsync(string room, bool silenced, CancellationToken cancellationToken)
    {
        Change(room, rules => rules with { Silenced = silenced });
        return Task.CompletedTask;
    }

    public Task BanAsync(string room, RoomBan ban, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        Change(room, rules => rules.Banning(ban, now));
        return Task.CompletedTask;
    }

    public Task<bool> LiftBanAsync(string room, string id, CancellationToken cancellationToken)
    {
        if (!_rooms.ContainsKey(room))
        {
            return Task.FromResult(false);
        }

        var lifted = false;
        Change(room, rules =>
        {
            lifted = rules.Bans.ContainsKey(id);
            return rules with { Bans = rules.Bans.Remove(id) };
        });
        return Task.FromResult(lifted);
    }

    private void Change(string room, Func<RoomRules, RoomRules> change) =>
        _rooms.AddOrUpdate(room, static (_, change) => change(RoomRules.None), static (_, rules, change) => change(rules), change);
}
