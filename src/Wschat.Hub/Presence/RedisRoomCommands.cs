using System.Text.Json;
using StackExchange.Redis;

namespace Wschat.Hub.Presence;

/// <summary>
/// Atomic room updates in Lua: membership, login and both counts change and are read in one step,
/// so concurrent joins on many nodes never produce wrong counts.
/// The index of rooms with members (<see cref="RedisPresenceKeys.Rooms"/>) is a key of its own, outside
/// the room's slot, so it cannot change in the room's script on Redis Cluster. It is kept right by order
/// instead: a join adds the room after its member is in; the leave that empties the room removes it,
/// then looks again and adds it back if someone joined meanwhile (that joiner's own add may have come
/// before the removal). Listing reads the index (one sorted set, paged by name) rather than scanning the
/// keyspace, whose cost grows with every key of the cluster and which Redis Cluster splits per node.
/// </summary>
internal sealed class RedisRoomCommands(RedisPresenceKeys keys)
{
    // KEYS: members, logins. ARGV: uid, ip, login ('' = not logged in).
    private const string JoinScript = """
        redis.call('HSET', KEYS[1], ARGV[1], ARGV[2])
        if ARGV[3] == '' then redis.call('HDEL', KEYS[2], ARGV[1]) else redis.call('HSET', KEYS[2], ARGV[1], ARGV[3]) end
        return {redis.call('HLEN', KEYS[1]), redis.call('HLEN', KEYS[2])}
        """;

    // KEYS: members, logins. ARGV: uid. Returns counts, the departed member's ip and login, and whether it was there.
    private const string LeaveScript = """
        local ip = redis.call('HGET', KEYS[1], ARGV[1]) or ''
        local login = redis.call('HGET', KEYS[2], ARGV[1]) or ''
        local removed = redis.call('HDEL', KEYS[1], ARGV[1])
        redis.call('HDEL', KEYS[2], ARGV[1])
        return {redis.call('HLEN', KEYS[1]), redis.call('HLEN', KEYS[2]), ip, login, removed}
        """;

    // KEYS: members, logins. ARGV: uid, login ('' = logged out). Only for a member of the room.
    private const string SetLoginScript = """
        if redis.call('HEXISTS', KEYS[1], ARGV[1]) == 1 then
          if ARGV[2] == '' then redis.call('HDEL', KEYS[2], ARGV[1]) else redis.call('HSET', KEYS[2], ARGV[1], ARGV[2]) end
        end
        return {redis.call('HLEN', KEYS[1]), redis.call('HLEN', KEYS[2])}
        """;

    private const string CountsScript = "return {redis.call('HLEN', KEYS[1]), redis.call('HLEN', KEYS[2])}";

    public async Task<RoomCounts> JoinAsync(IDatabaseAsync db, string room, RoomMember member)
    {
        var counts = Counts(await db.ScriptEvaluateAsync(JoinScript, RoomKeys(room), [RedisPresenceKeys.Uid(member.Uid), member.Ip, StoredLogin(member)]));
        await db.SortedSetAddAsync(keys.Rooms, room, 0);
        return counts;
    }

    public async Task<(RoomCounts Counts, RoomMember Member, bool Removed)> LeaveAsync(IDatabaseAsync db, string room, long uid)
    {
        var result = (RedisResult[])(await db.ScriptEvaluateAsync(LeaveScript, RoomKeys(room), [RedisPresenceKeys.Uid(uid)]))!;
        var login = (string?)result[3];
        var member = string.IsNullOrEmpty(login) ? new RoomMember(uid, (string?)result[2] ?? "", null) : ParseMember(login);
        var counts = Counts(result);
        if (counts.UsersCount == 0)
        {
            await db.SortedSetRemoveAsync(keys.Rooms, room);
            if ((await CountsAsync(db, room)).UsersCount > 0)
            {
                await db.SortedSetAddAsync(keys.Rooms, room, 0);
            }
        }

        return (counts, member, (int)result[4] == 1);
    }

    /// <summary>Rooms of the index after <paramref name="after"/>, with their counts; one that emptied since is left out.</summary>
    public async Task<IReadOnlyList<RoomSummary>> ListAsync(IDatabaseAsync db, string after, int limit)
    {
        var names = await db.SortedSetRangeByValueAsync(keys.Rooms, after, default, Exclude.Start, Order.Ascending, 0, limit);
        var counts = await Task.WhenAll(names.Select(name => CountsAsync(db, name!)));
        var rooms = new List<RoomSummary>(names.Length);
        for (var i = 0; i < names.Length; i++)
        {
            if (counts[i].UsersCount > 0)
            {
                rooms.Add(new RoomSummary(names[i]!, counts[i]));
            }
        }

        return rooms;
    }

    public async Task<RoomCounts> SetLoginAsync(IDatabaseAsync db, string room, RoomMember member) =>
        Counts(await db.ScriptEvaluateAsync(SetLoginScript, RoomKeys(room), [RedisPresenceKeys.Uid(member.Uid), StoredLogin(member)]));

    public async Task<RoomMember?> FindAsync(IDatabaseAsync db, string room, long uid)
    {
        var ip = db.HashGetAsync(keys.Members(room), RedisPresenceKeys.Uid(uid));
        var login = db.HashGetAsync(keys.Logins(room), RedisPresenceKeys.Uid(uid));
        return (await ip, await login) switch
        {
            ({ IsNull: true }, _) => null,
            (_, { IsNullOrEmpty: false } stored) => ParseMember(stored!),
            (var address, _) => new RoomMember(uid, address!, null),
        };
    }

    public async Task<RoomCounts> CountsAsync(IDatabaseAsync db, string room) =>
        Counts(await db.ScriptEvaluateAsync(CountsScript, RoomKeys(room)));

    public async Task<LoggedInUsers> LoggedInAsync(IDatabase db, string room, int limit)
    {
        var users = new List<RoomMember>();
        var total = (int)await db.HashLengthAsync(keys.Logins(room));
        await foreach (var entry in db.HashScanAsync(keys.Logins(room), pageSize: Math.Max(10, limit)))
        {
            if (users.Count == limit)
            {
                break;
            }

            users.Add(ParseMember(entry.Value!));
        }

        return new LoggedInUsers(users, total);
    }

    private RedisKey[] RoomKeys(string room) => [keys.Members(room), keys.Logins(room)];

    private static RoomCounts Counts(RedisResult result) => Counts((RedisResult[])result!);

    private static RoomCounts Counts(RedisResult[] values) => new((int)values[0], (int)values[1]);

    private static string StoredLogin(RoomMember member) => member.Login is null ? "" : JsonSerializer.Serialize(member);

    private static RoomMember ParseMember(string stored) =>
        JsonSerializer.Deserialize<RoomMember>(stored) ?? throw new InvalidDataException("empty stored member");
}
