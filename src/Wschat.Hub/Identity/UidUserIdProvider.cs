using System.Globalization;
using Microsoft.AspNetCore.SignalR;
using Wschat.Hub.Diagnostics;

namespace Wschat.Hub.Identity;

/// <summary>
/// Every connection is its own user, named by a fresh uid, so private messages travel through
/// SignalR's user addressing (and the backplane's user channels) to whichever node holds the uid.
/// </summary>
internal sealed class UidUserIdProvider(IUidAllocator uids, WschatMetrics metrics) : IUserIdProvider
{
    public string GetUserId(HubConnectionContext connection)
    {
        var uid = uids.Allocate();
        metrics.UidAllocated();
        return uid.ToString(CultureInfo.InvariantCulture);
    }
}
