namespace Wschat.Hub.Hubs;

internal static class ChatServiceCollectionExtensions
{
    /// <summary>What the hub needs besides SignalR: its options, the close and rate-limit filters, and the announcer of a dead node's members.</summary>
    public static IServiceCollection AddWschatChat(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddValidatedOptions<ChatOptions>(configuration, ChatOptions.SectionName);
        services.AddValidatedOptions<ChatLimitsOptions>(configuration, ChatLimitsOptions.SectionName);
        services.AddValidatedOptions<RateLimitOptions>(configuration, RateLimitOptions.SectionName);
        services.AddSingleton<ConnectionCloseFilter>();
        services.AddSingleton<MessageRateLimitFilter>();
        services.AddHostedService<ExpiredMemberAnnouncer>();
        return services;
    }
}
