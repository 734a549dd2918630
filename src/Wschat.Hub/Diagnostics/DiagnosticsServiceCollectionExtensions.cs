namespace Wschat.Hub.Diagnostics;

internal static class DiagnosticsServiceCollectionExtensions
{
    /// <summary>The node's meters and their Prometheus registry; <c>/metrics</c> serves them (Hosting's <c>MetricsEndpoint</c>).</summary>
    public static IServiceCollection AddWschatMetrics(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddMetrics();
        services.AddValidatedOptions<MetricsOptions>(configuration, MetricsOptions.SectionName);
        services.AddSingleton<WschatMetrics>();
        services.AddSingleton<MessageMetricsFilter>();
        services.AddSingleton<PrometheusExporter>();
        return services;
    }
}
