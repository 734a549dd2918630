using Microsoft.AspNetCore.Http.Connections;
using Microsoft.Extensions.Primitives;

namespace Wschat.Hub.Hosting;

/// <summary>
/// The kinds of chat endpoint (<see cref="ChatEndpointConventionBuilderExtensions.AsChatEndpoint"/>), each telling which
/// requests open a new connection: admission counts connections, not requests. A kind may map several routed
/// endpoints (SignalR maps two); each is told apart by its metadata, never by the path a request spelled.
/// </summary>
internal sealed class ChatEndpoint
{
    /// <summary>The raw wschat endpoint: every WebSocket request is a connection of its own.</summary>
    public static readonly ChatEndpoint Raw = new(static _ => static context => context.WebSockets.IsWebSocketRequest);

    /// <summary>
    /// The SignalR endpoints, as SignalR's connection dispatcher treats their requests: a POST to the negotiate
    /// endpoint (whatever its query says) creates a connection, and so does a WebSocket request to the connection
    /// endpoint whose connection token (<c>id</c>) is missing or empty. Every other request of any transport (an
    /// event stream, a long poll, a send, a delete) must name a live connection, or SignalR refuses it.
    /// </summary>
    public static readonly ChatEndpoint SignalR = new(static metadata => metadata.OfType<NegotiateMetadata>().Any()
        ? static context => HttpMethods.IsPost(context.Request.Method)
        : static context => context.WebSockets.IsWebSocketRequest && StringValues.IsNullOrEmpty(context.Request.Query["id"]));

    private readonly Func<IEnumerable<object>, Func<HttpContext, bool>> _opensConnection;

    private ChatEndpoint(Func<IEnumerable<object>, Func<HttpContext, bool>> opensConnection) => _opensConnection = opensConnection;

    /// <summary>Which requests of the routed endpoint with <paramref name="metadata"/> open a new connection.</summary>
    public Func<HttpContext, bool> OpensConnection(IEnumerable<object> metadata) => _opensConnection(metadata);
}
