using Microsoft.Extensions.Options;
using StackExchange.Redis;
using Wschat.Hub.Hosting;

namespace Wschat.Hub.Backplane;

/// <summary>
/// The node's one Redis connection, shared by the SignalR backplane, presence, uids and the word
/// list. Commands fail fast while Redis is away (no multi-second stalls on the request path);
/// the outage is logged once when it starts and once when it ends.
/// </summary>
internal sealed class RedisConnection : IDisposable
{
    /// <summary>Pause between reconnect attempts, and between retries of work that needs Redis back.</summary>
    public static readonly TimeSpan RetryDelay = TimeSpan.FromSeconds(1);

    private readonly ILogger<RedisConnection> _logger;
    private readonly Lock _gate = new();
    private bool _interactiveUp;
    private bool _subscriptionUp;
    private bool _announcedUp;

    public RedisConnection(IOptions<WschatOptions> options, ILogger<RedisConnection> logger)
    {
        _logger = logger;
        var wschat = options.Value;
        var configuration = ConfigurationOptions.Parse(wschat.Redis ?? throw new InvalidOperationException("Wschat:Redis is not set."));
        configuration.AbortOnConnectFail = false;
        configuration.BacklogPolicy = BacklogPolicy.FailFast;
        configuration.ReconnectRetryPolicy = new LinearRetry((int)RetryDelay.TotalMilliseconds);
        configuration.ChannelPrefix = RedisChannel.Literal(wschat.RedisPrefix + ":");
        KeyPrefix = wschat.RedisPrefix + ":";

        Multiplexer = ConnectionMultiplexer.Connect(configuration);
        Multiplexer.ConnectionFailed += (_, e) => Update(e.ConnectionType, up: false, e.Exception);
        Multiplexer.ConnectionRestored += (_, e) => Update(e.ConnectionType, up: true, null);
        _interactiveUp = _subscriptionUp = _announcedUp = Multiplexer.IsConnected;
        if (!_announcedUp)
        {
            BackplaneLog.RedisUnavailable(_logger, wschat.Redis);
        }
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

    /// <summary>Raised (on the thread pool) when Redis is reachable again after an outage.</summary>
    public event Func<Task>? Restored;

    public void Dispose() => Multiplexer.Dispose();

    private void Update(ConnectionType type, bool up, Exception? error)
    {
        bool restored;
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
            restored = nowUp;
        }

        if (!restored)
        {
            BackplaneLog.RedisLost(_logger, error);
            return;
        }

        BackplaneLog.RedisRestored(_logger);
        if (Restored is { } handlers)
        {
            foreach (var handler in handlers.GetInvocationList().Cast<Func<Task>>())
            {
                _ = Task.Run(async () =>
                {
                    try
                    {
                        await handler();
                    }
                    catch (Exception ex) when (ex is RedisException or TimeoutException)
                    {
                        BackplaneLog.ResyncFailed(_logger, ex);
                    }
                });
            }
        }
    }
}
