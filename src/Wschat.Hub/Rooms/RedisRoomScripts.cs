namespace Wschat.Hub.Rooms;

/// <summary>
/// The room stream's Lua scripts. Appending and publishing happen in one script, so the order on the
/// channel is the order of the offsets. A room's keys share its hash tag (one slot on Redis Cluster,
/// see <see cref="Redis.RedisRoomName"/>).
/// </summary>
internal static class RedisRoomScripts
{
    /// <summary>
    /// KEYS: stream, meta. ARGV: channel, history size, TTL seconds, one flag per message (<c>1</c>: kept,
    /// <c>0</c>: not), then the batch's messages. Kept messages (danmu, text) get the next offsets and go
    /// into the stream; the others get the place of the last kept one and touch no key, so a room that
    /// only ever saw joins and leaves has none. A missing meta hash (no kept message yet, Redis flushed or
    /// restarted empty, history expired) starts a new epoch from the server clock at the batch's first
    /// kept message, and drops a stream left from the old one; without one the epoch is empty.
    /// Publishes <c>epoch \n (offset \n length \n bytes)*</c>; returns the epoch and the last offset.
    /// </summary>
    public const string Publish = """
        local flags = ARGV[4]
        local _, kept = string.gsub(flags, '1', '')
        local epoch = redis.call('hget', KEYS[2], 'e')
        if not epoch and kept > 0 then
          local now = redis.call('time')
          epoch = now[1] .. '.' .. now[2]
          redis.call('hset', KEYS[2], 'e', epoch)
          redis.call('del', KEYS[1])
        end
        local offset = 0
        if kept > 0 then
          offset = redis.call('hincrby', KEYS[2], 's', kept) - kept
        elseif epoch then
          offset = tonumber(redis.call('hget', KEYS[2], 's')) or 0
        else
          epoch = ''
        end
        local size = tonumber(ARGV[2])
        local out = { epoch, '\n' }
        for i = 1, #flags do
          local message = ARGV[i + 4]
          if string.byte(flags, i) == 49 then
            offset = offset + 1
            if size > 0 then
              redis.call('xadd', KEYS[1], 'MAXLEN', size, tostring(offset) .. '-0', 'd', message)
            end
          end
          out[#out + 1] = tostring(offset)
          out[#out + 1] = '\n'
          out[#out + 1] = tostring(#message)
          out[#out + 1] = '\n'
          out[#out + 1] = message
        end
        if kept > 0 then
          redis.call('expire', KEYS[2], ARGV[3])
          if size > 0 then
            redis.call('expire', KEYS[1], ARGV[3])
          end
        end
        redis.call('publish', ARGV[1], table.concat(out))
        return { epoch, offset }
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
