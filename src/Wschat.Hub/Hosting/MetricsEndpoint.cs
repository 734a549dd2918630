using Microsoft.AspNetCore.Authentication;
using Microsoft.Extensions.Options;
using Prometheus;
using Wschat.Hub.Diagnostics;
using Wschat.Hub.Identity;

namespace Wschat.Hub.Hosting;

/// <summary>
/// <c>/metrics</c>: the node's meters in the Prometheus text format, on the node's own ports or, with
/// <see cref="MetricsOptions.Port"/>, on that management port alone. Here, not in Diagnostics: with
/// <see cref="MetricsOptions.RequireAdminToken"/> it checks the admin role, which is Identity's.
/// </summary>
internal static class MetricsEndpoint
{
    public const string Path = "/metrics";

    /// <summary>
    /// Serves <c>/metrics</c>. With a management port, first in the pipeline: every request that came in on that
    /// port (told by the socket's local port, which no header can change) ends here, and the node's own ports
    /// never see the path mapped; without one, as an endpoint of the node's own ports.
    /// </summary>
    public static void UseWschatMetrics(this WebApplication app)
    {
        var options = app.Services.GetRequiredService<IOptions<MetricsOptions>>().Value;
        if (!options.Enabled)
        {
            return;
        }

        var registry = app.Services.GetRequiredService<PrometheusExporter>().Registry;
        if (options.Port is not { } port)
        {
            app.MapGet(Path, context => ExportAsync(context, registry, options));
            return;
        }

        app.MapWhen(context => context.Connection.LocalPort == port, metricsPort => metricsPort.Run(context =>
        {
            if (context.Request.Path == Path && HttpMethods.IsGet(context.Request.Method))
            {
                return ExportAsync(context, registry, options);
            }

            context.Response.StatusCode = StatusCodes.Status404NotFound;
            return Task.CompletedTask;
        }));
    }

    private static async Task ExportAsync(HttpContext context, CollectorRegistry registry, MetricsOptions options)
    {
        if (options.RequireAdminToken && (await context.AuthenticateAsync()).Principal?.IsInRole(AdminTokenAuthenticationHandler.AdminRole) != true)
        {
            context.Response.StatusCode = StatusCodes.Status403Forbidden;
            return;
        }

        context.Response.ContentType = PrometheusConstants.TextContentTypeWithVersionAndEncoding;
        await registry.CollectAndExportAsTextAsync(context.Response.Body, context.RequestAborted);
    }
}
