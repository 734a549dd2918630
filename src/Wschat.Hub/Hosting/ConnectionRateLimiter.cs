using System.Threading.RateLimiting;
using Microsoft.Extensions.Options;

namespace Wschat.Hub.Hosting;

/// <summary>
/// New connections per client address, a token bucket each: the address is the connection's
/// remote address, which behind a trusted proxy is the one it forwarded, counted as
/// <see cref="AddressBlocks"/> says (IPv6 by its /64). One shared replenishing timer serves all
/// buckets; idle ones are dropped.
/// </summary>
internal sealed class ConnectionRateLimiter : IDisposable
{
    private readonly PartitionedRateLimiter<HttpContext> _limiter;

    public ConnectionRateLimiter(IOptions<AdmissionOptions> options)
    {
        var limits = options.Value;
        _limiter = PartitionedRateLimiter.Create<HttpContext, string>(context => limits.ConnectionsPerSecondPerIp <= 0
            ? RateLimitPartition.GetNoLimiter("")
            : RateLimitPartition.GetTokenBucketLimiter(
                AddressBlocks.Key(context.Connection.RemoteIpAddress),
                _ => TokenBuckets.Of(limits.ConnectionBurstPerIp, limits.ConnectionsPerSecondPerIp)));
    }

    /// <summary>Takes a token for a new connection from the request's address; refused: when to try again.</summary>
    public bool TryAcquire(HttpContext context, out TimeSpan retryAfter)
    {
        using var lease = _limiter.AttemptAcquire(context);
        if (lease.IsAcquired || !lease.TryGetMetadata(MetadataName.RetryAfter, out retryAfter))
        {
            retryAfter = TimeSpan.Zero;
        }

        return lease.IsAcquired;
    }

    public void Dispose() => _limiter.Dispose();
}
