using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.SignalR;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using Wschat.Hub.Storage;

namespace Wschat.Hub.Identity;

internal static class IdentityServiceCollectionExtensions
{
    /// <summary>
    /// The node's name, uids (from the clock above a mark kept in the data directory, unless
    /// <see cref="AddRedisUids"/> leases them in blocks from Redis) as SignalR user ids, the admin token scheme,
    /// the verifier of login tokens, and the API key scheme with the policy of the HTTP API.
    /// </summary>
    public static IServiceCollection AddWschatIdentity(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddValidatedOptions<AdminOptions>(configuration, AdminOptions.SectionName);
        services.AddValidatedOptions<ApiKeyOptions>(configuration, ApiKeyOptions.SectionName);
        services.AddSingleton<NodeIdentity>();
        services.AddValidatedOptions<LoginOptions>(configuration, LoginOptions.SectionName);
        services.AddSingleton<LoginTokenVerifier>();
        services.TryAddSingleton<IUidAllocator>(static s => new ClockUidAllocator(
            s.GetRequiredService<TimeProvider>(),
            s.GetRequiredService<IOptions<DataDirectoryOptions>>().Value.PathOf("uid-mark", s.GetRequiredService<IHostEnvironment>())));
        services.AddSingleton<IUserIdProvider, UidUserIdProvider>();

        // The core services only: the admin token scheme needs no cookies, so no data protection keys.
        services.AddWebEncoders();
        services.AddAuthenticationCore(auth => auth.DefaultScheme = AdminTokenAuthenticationHandler.SchemeName);
        new AuthenticationBuilder(services)
            .AddScheme<AuthenticationSchemeOptions, AdminTokenAuthenticationHandler>(AdminTokenAuthenticationHandler.SchemeName, null)
            .AddScheme<AuthenticationSchemeOptions, ApiKeyAuthenticationHandler>(ApiKeyAuthenticationHandler.SchemeName, null);
        services.AddAuthorizationBuilder().AddPolicy(ApiKeyAuthenticationHandler.PolicyName, policy => policy
            .AddAuthenticationSchemes(ApiKeyAuthenticationHandler.SchemeName)
            .RequireAuthenticatedUser());
        return services;
    }

    /// <summary>Uids from blocks leased in Redis, unique in the cluster, in place of the clock's whichever is registered first.</summary>
    public static IServiceCollection AddRedisUids(this IServiceCollection services)
    {
        services.AddSingleton<RedisUidAllocator>();
        services.Replace(ServiceDescriptor.Singleton<IUidAllocator>(static s => s.GetRequiredService<RedisUidAllocator>()));
        services.AddHostedService<UidBlockLease>();
        return services;
    }
}
