using Microsoft.Extensions.Options;

namespace Wschat.Hub.Hosting;

/// <summary>
/// Admits WebSocket requests on both endpoints: refuses origins not on the allowed list (403)
/// and connections past the node's maximum (503). Other requests pass untouched.
/// </summary>
internal sealed class WebSocketAdmissionMiddleware(RequestDelegate next, IOptionsMonitor<AdmissionOptions> options, ILogger<WebSocketAdmissionMiddleware> logger)
{
    private int _open;

    public async Task InvokeAsync(HttpContext context)
    {
        if (!context.WebSockets.IsWebSocketRequest)
        {
            await next(context);
            return;
        }

        var limits = options.CurrentValue;
        string? origin = context.Request.Headers.Origin;
        if (limits.AllowedOrigins.Count > 0 && origin is not null && !limits.AllowedOrigins.Contains(origin, StringComparer.OrdinalIgnoreCase))
        {
            HostingLog.OriginRefused(logger, origin);
            context.Response.StatusCode = StatusCodes.Status403Forbidden;
            return;
        }

        try
        {
            if (Interlocked.Increment(ref _open) > limits.MaxConnections && limits.MaxConnections > 0)
            {
                HostingLog.ConnectionLimitReached(logger, limits.MaxConnections);
                context.Response.StatusCode = StatusCodes.Status503ServiceUnavailable;
                return;
            }

            // A WebSocket request lasts as long as its connection.
            await next(context);
        }
        finally
        {
            Interlocked.Decrement(ref _open);
        }
    }
}
