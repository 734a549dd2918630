using Microsoft.AspNetCore.Http.Features;

namespace Wschat.RawAdapter.Transport;

/// <summary>Tells the raw endpoint's connections (<see cref="WschatEndpointRouteBuilderExtensions.MapWschat{THub}"/>) from SignalR's.</summary>
public static class RawConnections
{
    /// <summary>
    /// True for a connection of the raw endpoint, whose transport alone frames a client's messages for the wschat
    /// protocol: told by its <see cref="IRawTransportFeature"/>, which only that transport sets.
    /// </summary>
    public static bool Is(IFeatureCollection features) => features.Get<IRawTransportFeature>() is not null;
}
