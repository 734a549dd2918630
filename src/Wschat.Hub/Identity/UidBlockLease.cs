using StackExchange.Redis;

namespace Wschat.Hub.Identity;

/// <summary>
/// Leases the first uid block before the server takes connections, so clients flooding a fresh node
/// (a deploy, a crashed neighbour) find uids ready instead of waiting for Redis on thread-pool threads.
/// </summary>
internal sealed class UidBlockLease(RedisUidAllocator uids, ILogger<UidBlockLease> logger) : IHostedService
{
    public async Task StartAsync(CancellationToken cancellationToken)
    {
        try
        {
            await uids.LeaseAheadAsync().WaitAsync(cancellationToken);
        }
        catch (Exception ex) when (ex is RedisException or TimeoutException)
        {
            // Redis away at start: uids come from the node's own range; the lease is retried when Redis returns.
            IdentityLog.FirstBlockFailed(logger, ex);
        }
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
