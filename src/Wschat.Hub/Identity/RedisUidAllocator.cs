using StackExchange.Redis;
using Wschat.Hub.Redis;

namespace Wschat.Hub.Identity;

/// <summary>
/// Cluster-wide uids: each node leases blocks from one Redis counter (atomic INCRBY), fetching the
/// next block in the background when half of the current one is used, so connecting does not wait
/// for Redis and an outage is bridged by the remaining block. The counter never falls below the
/// clock-based floor, so uids stay above those of earlier runs even if Redis lost its data.
/// </summary>
internal sealed class RedisUidAllocator : IUidAllocator
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

    private readonly RedisConnection _redis;
    private readonly TimeProvider _time;
    private readonly RedisKey _counter;
    private readonly Lock _gate = new();
    private long _next;
    private long _end;

    // The next block's lease (its result is the block's last uid); started and read under the
    // lock, waited for outside it. Redis's own task, so a blocked waiter is woken by the reply
    // itself, not by a continuation that would need a thread-pool thread.
    private Task<RedisResult>? _lease;

    public RedisUidAllocator(RedisConnection redis, RedisRecovery recovery, TimeProvider time)
    {
        _redis = redis;
        _time = time;
        _counter = redis.KeyPrefix + "uid:last";

        // A lease that failed during the outage is retried now, not when a connection needs a uid.
        recovery.OnRestored("uid block", _ => NextLease());
    }

    /// <summary>Leases the next block now; the first one before the node takes connections.</summary>
    public Task LeaseAheadAsync() => NextLease();

    public long Allocate()
    {
        while (true)
        {
            Task<RedisResult> lease;
            lock (_gate)
            {
                if (_next == _end && _lease is { IsCompletedSuccessfully: true } leased)
                {
                    var last = (long)leased.Result;
                    _next = last - BlockSize + 1;
                    _end = last + 1;
                    _lease = null;
                }

                if (_next < _end)
                {
                    if (_end - _next <= BlockSize / 2)
                    {
                        NextLease();
                    }

                    return _next++;
                }

                lease = NextLease();
            }

            // No uid left: an outage, or more than half a block within one round trip, used up the
            // block. The caller waits for the lease outside the lock, on a thread-pool thread that
            // Redis's reply may itself need: rare, since blocks are leased ahead (the first at start);
            // and it fails, as its connection does, if Redis fails the lease.
            lease.GetAwaiter().GetResult();
        }
    }

    /// <summary>The lease in flight or done, or a new one if there is none or it failed.</summary>
    private Task<RedisResult> NextLease()
    {
        lock (_gate)
        {
            if (_lease is null or { IsFaulted: true } or { IsCanceled: true })
            {
                // Asynchronous, and failing fast while Redis is away: it only queues the command.
                _lease = _redis.Database.ScriptEvaluateAsync(LeaseScript, [_counter], [BlockSize, _time.GetUtcNow().ToUnixTimeMilliseconds() * 1000]);
            }

            return _lease;
        }
    }
}
