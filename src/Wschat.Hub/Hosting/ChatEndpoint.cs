namespace Wschat.Hub.Hosting;

/// <summary>
/// The kinds of chat endpoint (<see cref="ChatEndpointConventionBuilderExtensions.AsChatEndpoint"/>), each telling which of the
/// endpoint's requests opens a new connection: admission counts connections, not requests.
/// </summary>
internal sealed class ChatEndpoint
{
    /// <summary>The raw wschat endpoint: every WebSocket request is a connection of its own.</summary>
    public static readonly ChatEndpoint Raw = new(static context => context.WebSockets.IsWebSocketRequest);

    /// <summary>
    /// The SignalR endpoint: a connection opens with its negotiate request (whatever its query
    /// says), or with a WebSocket request that skips negotiation. Every later request of any
    /// transport (the WebSocket, the event stream, each long poll, each send) names the connection
    /// by its <c>id</c>; one naming none opens nothing (SignalR refuses it).
    /// </summary>
    public static readonly ChatEndpoint SignalR = new(static context => !HttpMethods.IsOptions(context.Request.Method)
        && (context.Request.Path.Value?.EndsWith("/negotiate", StringComparison.Ordinal) == true
            || (context.WebSockets.IsWebSocketRequest && !context.Request.Query.ContainsKey("id"))));

    private readonly Func<HttpContext, bool> _opensConnection;

    private ChatEndpoint(Func<HttpContext, bool> opensConnection) => _opensConnection = opensConnection;

    public bool OpensConnection(HttpContext context) => _opensConnection(context);
}
