using Microsoft.AspNetCore.SignalR;
using Wschat.Contracts;
using Wschat.Hub.Presence;

namespace Wschat.Hub.Hubs;

/// <summary>Tells rooms that members of a crashed node left, as if they had disconnected.</summary>
internal sealed class ExpiredMemberAnnouncer(PresenceDepartures departures, PeerAddresses peers, IHubContext<WschatHub, IWschatClient> hub) : IHostedService
{
    public Task StartAsync(CancellationToken cancellationToken)
    {
        departures.Expired += AnnounceAsync;
        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken)
    {
        departures.Expired -= AnnounceAsync;
        return Task.CompletedTask;
    }

    private async Task AnnounceAsync(IReadOnlyList<ExpiredMember> members)
    {
        foreach (var (room, member, counts) in members)
        {
            await hub.Clients.Group(room).Event(RoomEvents.Membership(RoomEventNames.LeaveRoom, member.Uid, peers.Show(member.Ip), counts));
        }
    }
}
