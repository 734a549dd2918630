using System.Text.Json;
using StackExchange.Redis;

namespace Wschat.Hub.Presence;

/// <summary>
/// Atomic room updates in Lua: membership, login and both counts change and are read in one step,
/// so concurrent joins on many nodes never produce wrong counts.
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

    public async Task<RoomCounts> JoinAsync(IDatabaseAsync db, string room, RoomMember member) =>
        Counts(await db.ScriptEvaluateAsync(JoinScript, RoomKeys(room), [RedisPresenceKeys.Uid(member.Uid), member.Ip, StoredLogin(member)]));

    public async Task<(RoomCounts Counts, RoomMember Member, bool Removed)> LeaveAsync(IDatabaseAsync db, string room, long uid)
    {
        var result = (RedisResult[])(await db.ScriptEvaluateAsync(LeaveScript, RoomKeys(room), [RedisPresenceKeys.Uid(uid)]))!;
        var login = (string?)result[3];
        var member = string.IsNullOrEmpty(login) ? new RoomMember(uid, (string?)result[2] ?? "", null) : ParseMember(login);
        return (Counts(result), member, (int)result[4] == 1);
    }

    public async Task<RoomCounts> SetLoginAsync(IDatabaseAsync db, string room, RoomMember member) =>
        Counts(await db.ScriptEvaluateAsync(SetLoginScript, RoomKeys(room), [RedisPresenceKeys.Uid(member.Uid), StoredLogin(member)]));

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
