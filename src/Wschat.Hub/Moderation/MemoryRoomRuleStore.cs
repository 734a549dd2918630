using System.Collections.Concurrent;

namespace Wschat.Hub.Moderation;

/// <summary>Room rules of a single node.</summary>
internal sealed class MemoryRoomRuleStore(TimeProvider time) : IRoomRuleStore
{
    private readonly ConcurrentDictionary<string, RoomRules> _rooms = new(StringComparer.Ordinal);

    public ValueTask<RoomRules> GetAsync(string room, CancellationToken cancellationToken) =>
        ValueTask.FromResult(_rooms.GetValueOrDefault(room) ?? RoomRules.None);

    public Task MuteAsync(string room, long uid, DateTimeOffset until, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        _rooms.AddOrUpdate(room, static (_, mute) => RoomRules.None.Muting(mute.uid, mute.until, mute.now), static (_, rules, mute) => rules.Muting(mute.uid, mute.until, mute.now), (uid, until, now));
        return Task.CompletedTask;
    }

    public Task SetSilencedAsync(string room, bool silenced, CancellationToken cancellationToken)
    {
        _rooms.AddOrUpdate(room, static (_, silenced) => RoomRules.None with { Silenced = silenced }, static (_, rules, silenced) => rules with { Silenced = silenced }, silenced);
        return Task.CompletedTask;
    }
}
