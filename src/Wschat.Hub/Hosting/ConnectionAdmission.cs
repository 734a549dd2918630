using System.Globalization;
using Microsoft.Extensions.Options;
using Wschat.Hub.Hubs;

namespace Wschat.Hub.Hosting;

/// <summary>
/// Admits requests to a chat endpoint (<see cref="ChatEndpoint"/>), whatever their transport: any
/// request from an origin not on the allowed list is refused (403); a request that opens a
/// connection is refused when the node is stopping or full (503) or its address opens connections
/// too fast (429).
/// </summary>
internal sealed class ConnectionAdmission(
    IOptionsMonitor<AdmissionOptions> options,
    ConnectionLimitFilter connections,
    ConnectionRateLimiter rates,
    IHostApplicationLifetime lifetime,
    ILogger<ConnectionAdmission> logger)
{
    /// <summary>Admits <paramref name="context"/>; <paramref name="opensConnection"/> tells whether it opens a new connection (<see cref="ChatEndpoint.OpensConnection"/>).</summary>
    /// <returns>False when the request was refused; its response status says why.</returns>
    public bool TryAdmit(HttpContext context, Func<HttpContext, bool> opensConnection)
    {
        var limits = options.CurrentValue;
        string? origin = context.Request.Headers.Origin;
        if (limits.AllowedOrigins.Count > 0 && origin is not null && !limits.AllowedOrigins.Contains(origin, StringComparer.OrdinalIgnoreCase))
        {
            HostingLog.OriginRefused(logger, origin);
            return Refuse(context, StatusCodes.Status403Forbidden);
        }

        if (!opensConnection(context))
        {
            return true;
        }

        // A stopping node has closed its connections; their clients reconnect at once, and over SSE or long
        // polling a pooled keep-alive connection still reaches it. Admitted, they would be closed again
        // moments later: refused, they retry on another node or on this one once it is back.
        if (lifetime.ApplicationStopping.IsCancellationRequested)
        {
            HostingLog.RefusedWhileStopping(logger);
            context.Response.Headers.Connection = "close";
            return Refuse(context, StatusCodes.Status503ServiceUnavailable);
        }

        if (connections.IsFull)
        {
            HostingLog.ConnectionLimitReached(logger, limits.MaxConnections);
            return Refuse(context, StatusCodes.Status503ServiceUnavailable);
        }

        if (!rates.TryAcquire(context, out var retryAfter))
        {
            HostingLog.ConnectionRateLimited(logger, ChatSession.FormatAddress(context.Connection.RemoteIpAddress));
            context.Response.Headers.RetryAfter = Math.Ceiling(retryAfter.TotalSeconds).ToString(CultureInfo.InvariantCulture);
            return Refuse(context, StatusCodes.Status429TooManyRequests);
        }

        return true;
    }

    private static bool Refuse(HttpContext context, int status)
    {
        context.Response.StatusCode = status;
        return false;
    }
}
