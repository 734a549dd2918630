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

        // What the hub and the API ask of the rooms of this hub, beside SignalR's own calls: the room limit, the
        // offsets a resuming client wants, the API's sends that learn their place and its kicks.
        services.AddSingleton<IRoomAdmission>(static s => s.GetRequiredService<LocalRooms<WschatHub>>());
        services.AddSingleton<IRoomOffsets>(static s => s.GetRequiredService<LocalConnections<WschatHub>>());
        services.AddSingleton<IRoomPublisher>(static s => s.GetRequiredService<RoomPublisher<WschatHub>>());
        services.AddValidatedOptions<RateLimitOptions>(configuration, RateLimitOptions.SectionName);
        services.AddSingleton<ConnectionCloseFilter>();
        services.AddSingleton<MessageRateLimitFilter>();
        services.AddHostedService<ExpiredMemberAnnouncer>();
        return services;
    }
}
