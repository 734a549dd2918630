using System.Diagnostics.CodeAnalysis;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Connections;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.AspNetCore.SignalR;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Wschat.Outbound;

namespace Wschat.RawAdapter.Transport;

public static class WschatEndpointRouteBuilderExtensions
{
    /// <summary>
    /// Serves raw wschat WebSocket clients at <paramref name="pattern"/> as connections of
    /// <typeparamref name="THub"/>, side by side with the hub's own SignalR endpoint.
    /// </summary>
    public static IEndpointConventionBuilder MapWschat<THub>(this IEndpointRouteBuilder endpoints, [StringSyntax("Route")] string pattern)
        where THub : Hub
    {
        var services = endpoints.ServiceProvider;
        var hub = new ConnectionBuilder(services).UseHub<THub>().Build();
        var options = services.GetRequiredService<IOptions<WschatTransportOptions>>();
        var webSocketOptions = services.GetRequiredService<IOptions<WebSocketOptions>>();
        var logger = services.GetRequiredService<ILoggerFactory>().CreateLogger(typeof(RawWebSocketConnection).FullName!);
        var stopping = services.GetRequiredService<IHostApplicationLifetime>().ApplicationStopping;
        var queues = services.GetRequiredService<OutboundQueues>();

        return endpoints.Map(pattern, context =>
        {
            if (!context.WebSockets.IsWebSocketRequest)
            {
                RawTransportLog.NotWebSocket(logger);
                context.Response.StatusCode = StatusCodes.Status400BadRequest;
                return context.Response.WriteAsync("This is a wschat WebSocket endpoint.\n");
            }

            return RawWebSocketConnection.ServeAsync(context, hub, queues, options.Value, webSocketOptions.Value, logger, stopping);
        });
    }
}
