namespace Wschat.Hub.Rooms;

/// <summary>
/// The room stream's Lua scripts. Appending and publishing happen in one script, so the order on the
/// channel is the order of the offsets. A room's keys share its hash tag (one slot on Redis Cluster,
/// see <see cref="Redis.RedisRoomName"/>).
/// </summary>
internal static class RedisRoomScripts
{
    /// <summary>
    /// KEYS: stream, meta. ARGV: channel, history size, TTL seconds, then the batch's messages.
    /// A missing meta hash (first message, Redis flushed or restarted empty, history expired) starts
    /// a new epoch from the server clock, and drops a stream left from the old one. Publishes
    /// <c>epoch \n first-offset \n (length \n bytes)*</c>; returns the epoch and the last offset.
    /// </summary>
    public const string Publish = """
        local epoch = redis.call('hget', KEYS[2], 'e')
        if not epoch then
          local now = redis.call('time')
          epoch = now[1] .. '.' .. now[2]
          redis.call('hset', KEYS[2], 'e', epoch)
          redis.call('del', KEYS[1])
        end
        local n = #ARGV - 3
        local size = tonumber(ARGV[2])
        local last = redis.call('hincrby', KEYS[2], 's', n)
        local first = last - n + 1
        local out = { epoch, '\n', tostring(first), '\n' }
        for i = 1, n do
          local message = ARGV[i + 3]
          if size > 0 then
            redis.call('xadd', KEYS[1], 'MAXLEN', size, tostring(first + i - 1) .. '-0', 'd', message)
          end
          out[#out + 1] = tostring(#message)
          out[#out + 1] = '\n'
          out[#out + 1] = message
        end
        redis.call('expire', KEYS[2], ARGV[3])
        if size > 0 then
          redis.call('expire', KEYS[1], ARGV[3])
        end
        redis.call('publish', ARGV[1], table.concat(out))
        return { epoch, last }
        """;

    /// <summary>
    /// KEYS: stream, meta. ARGV: epoch read from, offset read after, most entries. Returns the epoch
    /// (empty if the room has none), the last offset and the entries; another epoch reads from the oldest.
    /// </summary>
    public const string Read = """
        local meta = redis.call('hmget', KEYS[2], 'e', 's')
        if not meta[1] then
          return { '', 0, {} }
        end
        local from = '-'
        if meta[1] == ARGV[1] then
          from = '(' .. ARGV[2] .. '-0'
        end
        return { meta[1], tonumber(meta[2]), redis.call('xrange', KEYS[1], from, '+', 'COUNT', ARGV[3]) }
        """;
}
