using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Wschat.Outbound;

public static class OutboundServiceCollectionExtensions
{
    /// <summary>
    /// Every connection's outbound queue (<see cref="OutboundQueues"/>) and the node's pumps, with
    /// <see cref="OutboundOptions"/> checked at start. The host binds the options and registers the
    /// <see cref="IOutboundMetrics"/> that counts drops on its meter. Calls after the first add nothing.
    /// </summary>
    public static IServiceCollection AddWschatOutbound(this IServiceCollection services)
    {
        if (services.Any(static service => service.ServiceType == typeof(OutboundQueues)))
        {
            return services;
        }

        services.AddOptions<OutboundOptions>().ValidateDataAnnotations().ValidateOnStart();
        services.AddSingleton<OutboundPumps>();
        services.AddSingleton(static services => new OutboundQueues(
            services.GetRequiredService<OutboundPumps>(),
            services.GetRequiredService<IOptions<OutboundOptions>>().Value,
            services.GetRequiredService<IOutboundMetrics>(),
            services.GetRequiredService<ILogger<OutboundQueues>>()));
        return services;
    }
}
