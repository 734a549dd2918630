using System.Threading.RateLimiting;
using Microsoft.AspNetCore.SignalR;
using Microsoft.Extensions.Options;
using Wschat.Contracts;
using Wschat.Hub.Diagnostics;
using Wschat.Hub.Hosting;

namespace Wschat.Hub.Hubs;

/// <summary>
/// A token bucket per connection (and, when configured, per client address: IPv6 by its /64, see
/// <see cref="AddressBlocks"/>) in front of every hub method, and a slower one per connection in front
/// of the methods that each send an event to the whole room: join (a room switch too), login and
/// logout. One shared replenishing timer serves all buckets; idle ones are dropped. A refused message
/// is answered with an error and dropped.
/// </summary>
internal sealed class MessageRateLimitFilter : IHubFilter, IDisposable
{
    private readonly PartitionedRateLimiter<HubCallerContext> _messages;
    private readonly PartitionedRateLimiter<HubCallerContext> _joins;
    private readonly WschatMetrics _metrics;

    public MessageRateLimitFilter(IOptions<RateLimitOptions> options, WschatMetrics metrics)
    {
        _metrics = metrics;
        var limits = options.Value;
        var perConnection = PerConnection(limits.MessageBurst, limits.MessagesPerSecond);
        _messages = limits.MessagesPerSecondPerIp <= 0
            ? perConnection
            : PartitionedRateLimiter.CreateChained(perConnection, PartitionedRateLimiter.Create<HubCallerContext, string>(context =>
                RateLimitPartition.GetTokenBucketLimiter(ChatSession.Of(context).AddressBlock, _ => TokenBuckets.Of(limits.MessagesPerSecondPerIp, limits.MessagesPerSecondPerIp))));
        _joins = PerConnection(limits.JoinBurst, limits.JoinsPerSecond);
    }

    public async ValueTask<object?> InvokeMethodAsync(HubInvocationContext invocationContext, Func<HubInvocationContext, ValueTask<object?>> next)
    {
        using var lease = _messages.AttemptAcquire(invocationContext.Context);
        if (!lease.IsAcquired)
        {
            return await RefuseAsync(invocationContext, "too many messages; slow down");
        }

        if (!ChangesMembership(invocationContext.HubMethodName))
        {
            return await next(invocationContext);
        }

        using var join = _joins.AttemptAcquire(invocationContext.Context);
        return join.IsAcquired
            ? await next(invocationContext)
            : await RefuseAsync(invocationContext, "too many joins, room switches, logins or logouts; slow down");
    }

    public void Dispose()
    {
        _messages.Dispose();
        _joins.Dispose();
    }

    /// <summary>The hub methods whose every call reaches the whole room as an event. Not leave: nobody is kept in a room for leaving too fast.</summary>
    private static bool ChangesMembership(string hubMethod) =>
        hubMethod is nameof(WschatHub.Join) or nameof(WschatHub.Login) or nameof(WschatHub.Logout);

    private static PartitionedRateLimiter<HubCallerContext> PerConnection(int burst, int perSecond) =>
        PartitionedRateLimiter.Create<HubCallerContext, string>(context =>
            RateLimitPartition.GetTokenBucketLimiter(context.ConnectionId, _ => TokenBuckets.Of(burst, perSecond)));

    private async ValueTask<object?> RefuseAsync(HubInvocationContext invocationContext, string reason)
    {
        _metrics.RateLimited();
        _metrics.ErrorSent(ErrorCodes.RateLimited);
        var hub = (Hub<IWschatClient>)invocationContext.Hub;
        await hub.Clients.Caller.Error(new ErrorMessage { Code = ErrorCodes.RateLimited, Msg = reason });
        return null;
    }
}
