using StackExchange.Redis;
using Wschat.Hub.Redis;

namespace Wschat.Hub.Identity;

/// <summary>
/// Cluster-wide uids that never wait for Redis. Normally from blocks leased from one Redis counter
/// (atomic INCRBY, floored by the clock so uids stay above those of earlier runs even if Redis lost
/// its data), the next block leased in the background when half of the current one is used. When a
/// block runs dry while Redis is away, from this node's own range: 2^32 uids at
/// 2^52 + tag × 2^32, the tag handed out by Redis (unique among the last 2^19 node starts). A node
/// that has not reached Redis yet draws a random tag from the other half of the tag space, unique
/// only by chance (1 in 2^19 for any two such nodes). Counter uids stay below 2^52 until the year
/// 2112, owned ranges below 2^53.
/// </summary>
internal sealed class RedisUidAllocator : IUidAllocator
{
    private const long BlockSize = 1000;
    private const int TagBits = 20;
    private const long RangeBase = 1L << 52;
    private const int RangeBits = 32;

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
    private readonly ILogger<RedisUidAllocator> _logger;
    private readonly RedisKey _counter;
    private readonly RedisKey _tags;
    private readonly Lock _gate = new();

    // Guarded by _gate. The current block; the next block's lease (its result is the block's last
    // uid) while one is in flight or done; whether a lease is being started (outside the lock).
    private long _next;
    private long _end;
    private Task<RedisResult>? _lease;
    private bool _leasing;

    // Guarded by _gate. This node's own range, and whether its tag came from Redis.
    private long _rangeStart;
    private long _rangeUsed;
    private bool _tagFromRedis;
    private bool _drawingOnRange;

    public RedisUidAllocator(RedisConnection redis, RedisRecovery recovery, TimeProvider time, ILogger<RedisUidAllocator> logger)
    {
        _redis = redis;
        _time = time;
        _logger = logger;
        _counter = redis.KeyPrefix + "uid:last";
        _tags = redis.KeyPrefix + "uid:tags";
        _rangeStart = RangeStart(Random.Shared.NextInt64(1L << (TagBits - 1), 1L << TagBits));

        // What failed during the outage is retried now, not when a connection needs a uid.
        recovery.OnRestored("uid block", _ => LeaseAheadAsync());
    }

    /// <summary>Leases the next block, and this node's range tag if it has none from Redis yet; the first ones before the node takes connections.</summary>
    public async Task LeaseAheadAsync()
    {
        StartLease();
        bool tagged;
        Task<RedisResult>? lease;
        lock (_gate)
        {
            tagged = _tagFromRedis;
            lease = _lease;
        }

        if (!tagged)
        {
            // Tags below 2^19 come from Redis, in turn; the random ones are above.
            var tag = await _redis.Database.StringIncrementAsync(_tags) % (1L << (TagBits - 1));
            lock (_gate)
            {
                if (!_tagFromRedis)
                {
                    (_rangeStart, _rangeUsed, _tagFromRedis) = (RangeStart(tag), 0, true);
                }
            }
        }

        if (lease is not null)
        {
            await lease;
        }
    }

    public long Allocate()
    {
        long uid;
        string? drawing = null;
        lock (_gate)
        {
            if (_next == _end && _lease is { IsCompletedSuccessfully: true } leased)
            {
                var last = (long)leased.Result;
                (_next, _end, _lease, _drawingOnRange) = (last - BlockSize + 1, last + 1, null, false);
            }

            if (_next < _end)
            {
                uid = _next++;
            }
            else
            {
                // Redis away (or a burst beyond half a block per round trip): never wait for it.
                uid = _rangeStart + (_rangeUsed++ & ((1L << RangeBits) - 1));
                if (!_drawingOnRange)
                {
                    _drawingOnRange = true;
                    drawing = $"{(_rangeStart - RangeBase) >> RangeBits} ({(_tagFromRedis ? "from Redis" : "random: Redis not reached yet")})";
                }
            }
        }

        if (drawing is not null)
        {
            IdentityLog.DrawingOnOwnRange(_logger, drawing);
        }

        StartLease();
        return uid;
    }

    private static long RangeStart(long tag) => RangeBase + (tag << RangeBits);

    /// <summary>Starts the next block's lease when half the block is used and none is in flight or done; never under the lock.</summary>
    private void StartLease()
    {
        lock (_gate)
        {
            if (_leasing || _end - _next > BlockSize / 2 || _lease is { IsFaulted: false, IsCanceled: false })
            {
                return;
            }

            _leasing = true;
        }

        Task<RedisResult> lease;
        try
        {
            // Fails fast while Redis is away: it only queues the command.
            lease = _redis.Database.ScriptEvaluateAsync(LeaseScript, [_counter], [BlockSize, _time.GetUtcNow().ToUnixTimeMilliseconds() * 1000]);
        }
        catch (RedisException ex)
        {
            lease = Task.FromException<RedisResult>(ex);
        }

        lock (_gate)
        {
            (_lease, _leasing) = (lease, false);
        }
    }
}
