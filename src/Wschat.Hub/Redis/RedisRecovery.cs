using Polly;
using Polly.Retry;
using StackExchange.Redis;

namespace Wschat.Hub.Redis;

/// <summary>
/// The one place that handles Redis coming back. Every Redis user registers what it must redo
/// then (subscribe again, write this node's state back into a Redis that may have lost it); each
/// return runs all of it on the thread pool, every resync retried with exponential backoff until
/// it succeeds or Redis is lost again.
/// </summary>
internal sealed class RedisRecovery(TimeProvider time, ILogger<RedisRecovery> logger) : IDisposable
{
    private static readonly TimeSpan FirstRetryDelay = TimeSpan.FromMilliseconds(250);
    private static readonly TimeSpan MaxRetryDelay = TimeSpan.FromSeconds(10);

    private readonly Lock _gate = new();
    private readonly List<Resync> _resyncs = [];

    // The current period with Redis up: its token stops that period's resyncs when Redis is lost.
    private CancellationTokenSource? _up;
    private bool _disposed;

    /// <summary>
    /// Runs <paramref name="resync"/> each time Redis returns after an outage (not at start-up:
    /// there is nothing to repair yet). It should throw <see cref="RedisException"/> or
    /// <see cref="TimeoutException"/> when Redis fails it, to be retried, and stop when its token is canceled.
    /// </summary>
    /// <param name="name">Names the resync in logs.</param>
    /// <param name="resync">The work, given a token canceled when Redis is lost again.</param>
    public void OnRestored(string name, Func<CancellationToken, Task> resync)
    {
        var entry = new Resync(name, resync, BuildPipeline(name));
        lock (_gate)
        {
            _resyncs.Add(entry);
        }
    }

    /// <summary>Starts every resync. Called by <see cref="RedisConnection"/> in order with <see cref="RedisLost"/>; never blocks.</summary>
    public void RedisReturned()
    {
        Resync[] resyncs;
        CancellationToken stop;
        lock (_gate)
        {
            if (_disposed)
            {
                return;
            }

            _up = new CancellationTokenSource();
            stop = _up.Token;
            resyncs = [.. _resyncs];
        }

        foreach (var resync in resyncs)
        {
            _ = Task.Run(() => RunAsync(resync, stop), CancellationToken.None);
        }
    }

    /// <summary>Stops the resyncs still running: they start afresh when Redis next returns.</summary>
    public void RedisLost()
    {
        CancellationTokenSource? up;
        lock (_gate)
        {
            up = _up;
            _up = null;
        }

        // Callbacks run on the thread pool, not on the caller's thread (which holds the connection's lock).
        _ = up?.CancelAsync();
    }

    public void Dispose()
    {
        CancellationTokenSource? up;
        lock (_gate)
        {
            _disposed = true;
            up = _up;
            _up = null;
        }

        up?.Cancel();
    }

    private async Task RunAsync(Resync resync, CancellationToken stop)
    {
        var attempts = 0;
        try
        {
            await resync.Pipeline.ExecuteAsync(
                async cancellationToken =>
                {
                    attempts++;
                    await resync.Run(cancellationToken);
                },
                stop);
            if (attempts > 1)
            {
                RedisLog.ResyncRecovered(logger, resync.Name, attempts);
            }
        }
        catch (Exception) when (stop.IsCancellationRequested)
        {
            // Redis was lost again (or the node is stopping): whatever failed is redone on the next return.
        }
        catch (Exception ex)
        {
            RedisLog.ResyncAbandoned(logger, resync.Name, ex);
        }
    }

    private ResiliencePipeline BuildPipeline(string name) =>
        new ResiliencePipelineBuilder { TimeProvider = time }
            .AddRetry(new RetryStrategyOptions
            {
                ShouldHandle = new PredicateBuilder().Handle<RedisException>().Handle<TimeoutException>(),
                BackoffType = DelayBackoffType.Exponential,
                UseJitter = true,
                Delay = FirstRetryDelay,
                MaxDelay = MaxRetryDelay,
                MaxRetryAttempts = int.MaxValue,
                OnRetry = args =>
                {
                    // Once per failure streak, not once per attempt.
                    if (args.AttemptNumber == 0)
                    {
                        RedisLog.ResyncFailing(logger, name, args.Outcome.Exception!);
                    }

                    return ValueTask.CompletedTask;
                },
            })
            .Build();

    private sealed record Resync(string Name, Func<CancellationToken, Task> Run, ResiliencePipeline Pipeline);
}
