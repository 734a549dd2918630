using Microsoft.AspNetCore.SignalR;
using Microsoft.Extensions.Options;

namespace Wschat.Hub.Hosting;

/// <summary>
/// Counts the node's open connections against <see cref="AdmissionOptions.MaxConnections"/>. A hub
/// connection starts once whatever carries it: a raw WebSocket, a SignalR WebSocket, an event
/// stream, or a series of long polls (whose many requests are one connection), so counting here
/// counts connections on every transport alike.
/// </summary>
internal sealed class ConnectionLimitFilter(IOptionsMonitor<AdmissionOptions> options, ILogger<ConnectionLimitFilter> logger) : IHubFilter
{
    private int _open;

    /// <summary>
    /// Whether the node is full: asked by the request that opens a connection, before its transport
    /// starts, so that a refusal is a plain HTTP 503.
    /// </summary>
    public bool IsFull => options.CurrentValue.MaxConnections is > 0 and var max && Volatile.Read(ref _open) >= max;

    public async Task OnConnectedAsync(HubLifetimeContext context, Func<HubLifetimeContext, Task> next)
    {
        var max = options.CurrentValue.MaxConnections;
        if (Interlocked.Increment(ref _open) > max && max > 0)
        {
            // Connections whose requests passed IsFull together: the limit holds all the same, though
            // these learn it only from SignalR's close message (a raw client: from the close).
            Interlocked.Decrement(ref _open);
            HostingLog.ConnectionLimitReached(logger, max);
            throw new HubException("the server is full");
        }

        try
        {
            await next(context);
        }
        catch
        {
            // A connection whose start failed is never disconnected: its slot is freed here.
            Interlocked.Decrement(ref _open);
            throw;
        }
    }

    public async Task OnDisconnectedAsync(HubLifetimeContext context, Exception? exception, Func<HubLifetimeContext, Exception?, Task> next)
    {
        try
        {
            await next(context, exception);
        }
        finally
        {
            Interlocked.Decrement(ref _open);
        }
    }
}
