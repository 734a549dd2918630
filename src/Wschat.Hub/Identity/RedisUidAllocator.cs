using StackExchange.Redis;
using Wschat.Hub.Backplane;

namespace Wschat.Hub.Identity;

/// <summary>
/// Cluster-wide uids: each node leases blocks from one Redis counter (atomic INCRBY), fetching the
/// next block in the background when half of the current one is used, so connecting never waits
/// for Redis and an outage is bridged by the remaining block. The counter never falls below the
/// clock-based floor, so uids stay above those of earlier runs even if Redis lost its data.
/// </summary>
internal sealed class RedisUidAllocator(RedisConnection redis, TimeProvider time) : IUidAllocator
{
    private const long BlockSize = 1000;

    // KEYS[1] counter; ARGV[1] block size; ARGV[2] floor. Returns the block's last uid.
    private const string LeaseScript = """
        local last = redis.call('INCRBY', KEYS[1], ARGV[1])
        if last < tonumber(ARGV[2]) then
          last = tonumber(ARGV[2]) + tonumber(ARGV[1])
          redis.call('SET', KEYS[1], last)
        end
        return last
        """;

    private readonly Lock _gate = new();
    private long _next;
    private long _end;
    private Task<long>? _prefetch;

    public long Allocate()
    {
        lock (_gate)
        {
            if (_next == _end)
            {
                // The prefetched block, or (first use, or outage ate it) a synchronous lease.
                var last = _prefetch is { IsCompletedSuccessfully: true } ready ? ready.Result : Lease();
                _prefetch = null;
                _next = last - BlockSize + 1;
                _end = last + 1;
            }

            if (_prefetch is null or { IsFaulted: true } && _end - _next <= BlockSize / 2)
            {
                _prefetch = LeaseAsync();
            }

            return _next++;
        }
    }

    private long Lease() => (long)redis.Database.ScriptEvaluate(LeaseScript, [CounterKey], [BlockSize, Floor]);

    private async Task<long> LeaseAsync() => (long)await redis.Database.ScriptEvaluateAsync(LeaseScript, [CounterKey], [BlockSize, Floor]);

    private RedisKey CounterKey => redis.KeyPrefix + "uid:last";

    private long Floor => time.GetUtcNow().ToUnixTimeMilliseconds() * 1000;
}
