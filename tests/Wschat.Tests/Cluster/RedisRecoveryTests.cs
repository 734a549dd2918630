using Microsoft.Extensions.Logging;
using StackExchange.Redis;
using Wschat.Hub.Redis;
using Wschat.Tests.Infrastructure;
using Wschat.Tests.Moderation;

namespace Wschat.Tests.Cluster;

/// <summary>Every Redis user's resync runs when Redis returns, retried with backoff until it succeeds or Redis is lost again.</summary>
public sealed class RedisRecoveryTests
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(20);

    private readonly RecordingLogger<RedisRecovery> _logger = new();

    [Fact]
    public async Task Every_registered_resync_runs_each_time_Redis_returns_and_not_before()
    {
        using var recovery = new RedisRecovery(TimeProvider.System, _logger);
        var presence = 0;
        var words = 0;
        recovery.OnRestored("presence", _ => Run(ref presence));
        recovery.OnRestored("words", _ => Run(ref words));
        Assert.Equal((0, 0), (Volatile.Read(ref presence), Volatile.Read(ref words)));

        recovery.RedisReturned();
        await Eventually.GetAsync(() => Task.FromResult<object?>(Volatile.Read(ref presence) == 1 && Volatile.Read(ref words) == 1 ? true : null), Timeout, "both resyncs ran");
        recovery.RedisLost();
        recovery.RedisReturned();

        await Eventually.GetAsync(() => Task.FromResult<object?>(Volatile.Read(ref presence) == 2 && Volatile.Read(ref words) == 2 ? true : null), Timeout, "both resyncs ran again");
    }

    [Fact]
    public async Task A_failing_resync_is_retried_until_it_succeeds_and_the_failure_streak_is_logged_once()
    {
        using var recovery = new RedisRecovery(TimeProvider.System, _logger);
        var attempts = 0;
        var done = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        recovery.OnRestored("presence", _ =>
        {
            if (Interlocked.Increment(ref attempts) <= 3)
            {
                throw new RedisConnectionException(ConnectionFailureType.SocketFailure, "still away");
            }

            done.SetResult();
            return Task.CompletedTask;
        });

        recovery.RedisReturned();

        await done.Task.WaitAsync(Timeout);
        Assert.Equal(4, attempts);
        await Eventually.GetAsync(() => Task.FromResult<object?>(_logger.Levels.Contains(LogLevel.Information) ? true : null), Timeout, "the recovery logged");
        Assert.Single(_logger.Levels, LogLevel.Warning);
    }

    [Fact]
    public async Task Retries_stop_when_Redis_is_lost_again()
    {
        using var recovery = new RedisRecovery(TimeProvider.System, _logger);
        var attempts = 0;
        recovery.OnRestored("presence", _ =>
        {
            Interlocked.Increment(ref attempts);
            throw new RedisConnectionException(ConnectionFailureType.SocketFailure, "away again");
        });

        recovery.RedisReturned();
        await Eventually.GetAsync(() => Task.FromResult<object?>(Volatile.Read(ref attempts) >= 2 ? true : null), Timeout, "a retry");
        recovery.RedisLost();
        var afterLoss = Volatile.Read(ref attempts);

        // Longer than the next backoff delays: no attempt comes after the loss.
        await Task.Delay(TimeSpan.FromSeconds(3));
        Assert.InRange(Volatile.Read(ref attempts), afterLoss, afterLoss + 1);
        Assert.DoesNotContain(LogLevel.Error, _logger.Levels);
    }

    private static Task Run(ref int count)
    {
        Interlocked.Increment(ref count);
        return Task.CompletedTask;
    }
}
