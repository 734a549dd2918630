using Microsoft.AspNetCore.Authentication;
using Microsoft.Extensions.Options;
using Prometheus;
using Wschat.Hub.Identity;

namespace Wschat.Hub.Diagnostics;

/// <summary><c>/metrics</c>: the node's meters in the Prometheus text format, on the node's own port.</summary>
internal static class MetricsEndpoint
{
    public const string Path = "/metrics";

    public static IServiceCollection AddWschatMetrics(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddMetrics();
        services.AddValidatedOptions<MetricsOptions>(configuration, MetricsOptions.SectionName);
        services.AddSingleton<WschatMetrics>();
        services.AddSingleton<MessageMetricsFilter>();
        services.AddSingleton<PrometheusExporter>();
        return services;
    }

    public static void MapWschatMetrics(this WebApplication app)
    {
        var options = app.Services.GetRequiredService<IOptions<MetricsOptions>>().Value;
        if (!options.Enabled)
        {
            return;
        }

        var registry = app.Services.GetRequiredService<PrometheusExporter>().Registry;
        app.MapGet(Path, async (HttpContext context) =>
        {
            if (options.RequireAdminToken && (await context.AuthenticateAsync()).Principal?.IsInRole(AdminTokenAuthenticationHandler.AdminRole) != true)
            {
                context.Response.StatusCode = StatusCodes.Status403Forbidden;
                return;
            }

            context.Response.ContentType = PrometheusConstants.TextContentTypeWithVersionAndEncoding;
            await registry.CollectAndExportAsTextAsync(context.Response.Body, context.RequestAborted);
        });
    }
}
