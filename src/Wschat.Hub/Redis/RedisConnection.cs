using Microsoft.Extensions.Options;
using StackExchange.Redis;
using Wschat.Hub.Diagnostics;

namespace Wschat.Hub.Redis;

/// <summary>
/// The node's one Redis connection, shared by the SignalR backplane, presence, uids and the word
/// list. Commands fail fast while Redis is away (no multi-second stalls on the request path);
/// the outage is logged once when it starts and once when it ends, and each return is handed to
/// <see cref="RedisRecovery"/>.
/// </summary>
internal sealed class RedisConnection : IDisposable
{
    /// <summary>Pause between reconnect attempts.</summary>
    public static readonly TimeSpan RetryDelay = TimeSpan.FromSeconds(1);

    private readonly RedisRecovery _recovery;
    private readonly ILogger<RedisConnection> _logger;
    private readonly Lock _gate = new();
    private readonly Timer _check;
    private bool _interactiveUp;
    private bool _subscriptionUp;
    private bool _announcedUp;

    // Guarded by _gate: the links' state as last read by the check when it differed from what this node believes.
    private (bool Interactive, bool Subscription)? _differed;

    public RedisConnection(IOptions<RedisConnectionOptions> options, RedisRecovery recovery, WschatMetrics metrics, ILogger<RedisConnection> logger)
    {
        _recovery = recovery;
        _logger = logger;
        var redis = options.Value;
        var configuration = ConfigurationOptions.Parse(redis.Redis ?? throw new InvalidOperationException("Wschat:Redis is not set."));
        configuration.AbortOnConnectFail = false;
        configuration.BacklogPolicy = BacklogPolicy.FailFast;
        configuration.ReconnectRetryPolicy = new LinearRetry((int)RetryDelay.TotalMilliseconds);
        configuration.ChannelPrefix = RedisChannel.Literal(redis.RedisPrefix + ":");
        KeyPrefix = redis.RedisPrefix + ":";

        Multiplexer = ConnectionMultiplexer.Connect(configuration);

        // Connect returns once commands reach Redis; the subscription link can follow a few ms later.
        // Read before it, a reachable Redis was taken for away: the node's first sends stayed local.
        if (Multiplexer.IsConnected)
        {
            SpinWait.SpinUntil(() => Multiplexer.GetSubscriber().IsConnected(), configuration.ConnectTimeout);
        }

        (_interactiveUp, _subscriptionUp) = ReadLinks();
        _announcedUp = _interactiveUp && _subscriptionUp;
        Multiplexer.ConnectionFailed += OnConnectionFailed;
        Multiplexer.ConnectionRestored += OnConnectionRestored;

        if (!IsConnected)
        {
            RedisLog.RedisUnavailable(_logger, redis.Redis);
        }

        metrics.ObserveRedis(() => IsConnected);

        // The events alone can leave this node believing a link is down for good: one raised after the links
        // were read but before the handlers were attached is never seen again (in loaded test runs a node
        // then never heard a link come up). Once a second the links' actual state is read, and a change
        // the events missed is acted on like an event.
        _check = new Timer(static connection => ((RedisConnection)connection!).CheckLinks(), this, RetryDelay, RetryDelay);
    }

    public IConnectionMultiplexer Multiplexer { get; }

    public IDatabase Database => Multiplexer.GetDatabase();

    /// <summary>Prefix for this cluster's keys.</summary>
    public string KeyPrefix { get; }

    /// <summary>True while both commands and subscriptions reach Redis.</summary>
    public bool IsConnected
    {
        get
        {
            lock (_gate)
            {
                return _announcedUp;
            }
        }
    }

    /// <summary>
    /// Runs <paramref name="attempt"/> until it succeeds (returns true), a pause apart, while Redis is up:
    /// a command that times out on a loaded node is not left undone. While Redis is away the caller's
    /// <see cref="RedisRecovery"/> resync redoes the work when it returns.
    /// </summary>
    public async Task RetryWhileUpAsync(Func<Task<bool>> attempt)
    {
        while (IsConnected && !await attempt())
        {
            await Task.Delay(RetryDelay);
        }
    }

    public void Dispose()
    {
        _check.Dispose();
        Multiplexer.ConnectionFailed -= OnConnectionFailed;
        Multiplexer.ConnectionRestored -= OnConnectionRestored;
        Multiplexer.Dispose();
    }

    private (bool Interactive, bool Subscription) ReadLinks() =>
        (Multiplexer.IsConnected, Multiplexer.GetSubscriber().IsConnected());

    /// <summary>
    /// Acts on a state the links kept for two checks in a row, so a reading taken just before an
    /// event lands is not taken for a change.
    /// </summary>
    private void CheckLinks()
    {
        var links = ReadLinks();
        lock (_gate)
        {
            var differs = links != (_interactiveUp, _subscriptionUp);
            var confirmed = differs && _differed == links;
            _differed = differs && !confirmed ? links : null;
            if (!confirmed)
            {
                return;
            }
        }

        Update(ConnectionType.Interactive, links.Interactive, null);
        Update(ConnectionType.Subscription, links.Subscription, null);
    }

    private void OnConnectionFailed(object? sender, ConnectionFailedEventArgs e) => Update(e.ConnectionType, up: false, e.Exception);

    private void OnConnectionRestored(object? sender, ConnectionFailedEventArgs e) => Update(e.ConnectionType, up: true, null);

    private void Update(ConnectionType type, bool up, Exception? error)
    {
        lock (_gate)
        {
            if (type == ConnectionType.Subscription)
            {
                _subscriptionUp = up;
            }
            else
            {
                _interactiveUp = up;
            }

            var nowUp = _interactiveUp && _subscriptionUp;
            if (nowUp == _announcedUp)
            {
                return;
            }

            _announcedUp = nowUp;

            // Under the lock, so that the recovery sees returns and losses in the order they happened.
            if (nowUp)
            {
                _recovery.RedisReturned();
            }
            else
            {
                _recovery.RedisLost();
            }
        }

        if (up)
        {
            RedisLog.RedisRestored(_logger);
        }
        else
        {
            RedisLog.RedisLost(_logger, error);
        }
    }
}
