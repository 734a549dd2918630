using Microsoft.AspNetCore.Http.Connections.Features;

namespace Wschat.RawAdapter.Transport;

/// <summary>
/// Marks a connection of the raw wschat endpoint (<see cref="WschatEndpointRouteBuilderExtensions.MapWschat{THub}"/>),
/// as <see cref="IHttpTransportFeature"/> marks SignalR's: its transport alone frames the client's
/// messages, one JSON object per WebSocket text frame, for the wschat protocol.
/// </summary>
public interface IRawTransportFeature;
