using Microsoft.AspNetCore.Http.Features;
using Wschat.RawAdapter.Outbound;

namespace Wschat.RawAdapter.Transport;

/// <summary>Tells the raw endpoint's connections (<see cref="WschatEndpointRouteBuilderExtensions.MapWschat{THub}"/>) from SignalR's.</summary>
public static class RawConnections
{
    /// <summary>
    /// True for a connection of the raw endpoint, whose transport alone frames a client's messages for the wschat
    /// protocol: told by its outbound queue, which only that transport sets.
    /// </summary>
    public static bool Is(IFeatureCollection features) => features.Get<OutboundQueue>() is not null;
}
