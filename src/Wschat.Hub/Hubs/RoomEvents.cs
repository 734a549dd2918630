using Wschat.Contracts;
using Wschat.Hub.Presence;

namespace Wschat.Hub.Hubs;

/// <summary>
/// Builds the <c>joinroom</c>/<c>leaveroom</c> events, for the hub and for presence expiry alike; the
/// <c>ip</c> given is the member's address as the room sees it (<see cref="PeerAddresses"/>).
/// </summary>
internal static class RoomEvents
{
    public static RoomEvent Membership(string eventName, long uid, string ip, RoomCounts counts) => new()
    {
        Event = eventName,
        Uid = uid,
        UsersCount = counts.UsersCount,
        LoginedCount = counts.LoginedCount,
        Ip = ip,
    };
}
