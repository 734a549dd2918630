using Microsoft.AspNetCore.SignalR;

namespace Wschat.Hub.Diagnostics;

/// <summary>Counts every message a client sends, by hub method, before any other filter may refuse it.</summary>
internal sealed class MessageMetricsFilter(WschatMetrics metrics) : IHubFilter
{
    public ValueTask<object?> InvokeMethodAsync(HubInvocationContext invocationContext, Func<HubInvocationContext, ValueTask<object?>> next)
    {
        metrics.MessageReceived(invocationContext.HubMethod);
        return next(invocationContext);
    }
}
