using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.SignalR;
using Wschat.Hub.Redis;

namespace Wschat.Hub.Identity;

internal static class IdentityServiceCollectionExtensions
{
    /// <summary>
    /// The node's name, uids (from the clock, or with <c>Wschat:Redis</c> set, from blocks leased in
    /// Redis) as SignalR user ids, and the admin token scheme.
    /// </summary>
    public static IServiceCollection AddWschatIdentity(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddValidatedOptions<AdminOptions>(configuration, AdminOptions.SectionName);
        services.AddSingleton<NodeIdentity>();
        if (RedisConnectionOptions.IsConfigured(configuration))
        {
            services.AddSingleton<RedisUidAllocator>();
            services.AddSingleton<IUidAllocator>(static s => s.GetRequiredService<RedisUidAllocator>());
            services.AddHostedService<UidBlockLease>();
        }
        else
        {
            services.AddSingleton<IUidAllocator, ClockUidAllocator>();
        }

        services.AddSingleton<IUserIdProvider, UidUserIdProvider>();

        // The core services only: the admin token scheme needs no cookies, so no data protection keys.
        services.AddWebEncoders();
        services.AddAuthenticationCore(auth => auth.DefaultScheme = AdminTokenAuthenticationHandler.SchemeName);
        new AuthenticationBuilder(services)
            .AddScheme<AuthenticationSchemeOptions, AdminTokenAuthenticationHandler>(AdminTokenAuthenticationHandler.SchemeName, null);
        return services;
    }
}
