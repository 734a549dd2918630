using Microsoft.AspNetCore.SignalR;
using Microsoft.Extensions.Options;
using Wschat.Hub.Rooms;
using Wschat.Outbound;

namespace Wschat.Hub.Hubs;

internal static class ChatServiceCollectionExtensions
{
    /// <summary>What the hub needs besides SignalR: its options, the close and rate-limit filters, what members see of each other's addresses, the userlist replies, and the announcer of a dead node's members.</summary>
    public static IServiceCollection AddWschatChat(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddValidatedOptions<ChatOptions>(configuration, ChatOptions.SectionName);
        services.AddValidatedOptions<ChatLimitsOptions>(configuration, ChatLimitsOptions.SectionName);
        services.AddOptions<ChatLimitsOptions>()
            .PostConfigure<IOptions<OutboundOptions>>(static (chat, outbound) =>
            {
                if (chat.MaxUserListBytes == 0)
                {
                    chat.MaxUserListBytes = outbound.Value.MaxQueuedBytes / 4;
                }
            })
            .Validate<IOptions<OutboundOptions>>(
                static (chat, outbound) => chat.MaxUserListBytes <= outbound.Value.MaxQueuedBytes / 2,
                "Wschat:Limits:MaxUserListBytes must be at most half of Wschat:Outbound:MaxQueuedBytes.");
        services.AddValidatedOptions<PrivacyOptions>(configuration, PrivacyOptions.SectionName);
        services.AddSingleton<PeerAddresses>();
        services.AddSingleton<UserListReplies>();

        // The hub's own lifetime manager: the hub asks it about the room limit; the API's room sends learn
        // their offsets from it, and its kicks travel through it.
        services.AddSingleton(static s => (RoomHubLifetimeManager<WschatHub>)s.GetRequiredService<HubLifetimeManager<WschatHub>>());
        services.AddValidatedOptions<RateLimitOptions>(configuration, RateLimitOptions.SectionName);
        services.AddSingleton<ConnectionCloseFilter>();
        services.AddSingleton<MessageRateLimitFilter>();
        services.AddHostedService<ExpiredMemberAnnouncer>();
        return services;
    }
}
