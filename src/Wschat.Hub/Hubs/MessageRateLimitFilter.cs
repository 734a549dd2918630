using System.Threading.RateLimiting;
using Microsoft.AspNetCore.SignalR;
using Microsoft.Extensions.Options;
using Wschat.Contracts;
using Wschat.Hub.Diagnostics;
using Wschat.Hub.Hosting;

namespace Wschat.Hub.Hubs;

/// <summary>
/// A token bucket per connection (and, when configured, per client address: IPv6 by its /64, see
/// <see cref="AddressBlocks"/>) in front of every hub method. One shared replenishing timer serves
/// all buckets; idle ones are dropped.
/// A refused message is answered with an error and dropped.
/// </summary>
internal sealed class MessageRateLimitFilter : IHubFilter, IDisposable
{
    private readonly PartitionedRateLimiter<HubCallerContext> _limiter;
    private readonly WschatMetrics _metrics;

    public MessageRateLimitFilter(IOptions<RateLimitOptions> options, WschatMetrics metrics)
    {
        _metrics = metrics;
        var limits = options.Value;
        var perConnection = PartitionedRateLimiter.Create<HubCallerContext, string>(context =>
            RateLimitPartition.GetTokenBucketLimiter(context.ConnectionId, _ => TokenBuckets.Of(limits.MessageBurst, limits.MessagesPerSecond)));
        _limiter = limits.MessagesPerSecondPerIp <= 0
            ? perConnection
            : PartitionedRateLimiter.CreateChained(perConnection, PartitionedRateLimiter.Create<HubCallerContext, string>(context =>
                RateLimitPartition.GetTokenBucketLimiter(ChatSession.Of(context).AddressBlock, _ => TokenBuckets.Of(limits.MessagesPerSecondPerIp, limits.MessagesPerSecondPerIp))));
    }

    public async ValueTask<object?> InvokeMethodAsync(HubInvocationContext invocationContext, Func<HubInvocationContext, ValueTask<object?>> next)
    {
        using var lease = _limiter.AttemptAcquire(invocationContext.Context);
        if (lease.IsAcquired)
        {
            return await next(invocationContext);
        }

        _metrics.RateLimited();
        _metrics.ErrorSent(ErrorCodes.RateLimited);
        var hub = (Hub<IWschatClient>)invocationContext.Hub;
        await hub.Clients.Caller.Error(new ErrorMessage { Code = ErrorCodes.RateLimited, Msg = "too many messages; slow down" });
        return null;
    }

    public void Dispose() => _limiter.Dispose();
}
