using Microsoft.AspNetCore.Authentication;
using Wschat.Hub.Identity;

namespace Wschat.Hub.Hosting;

internal static class ChatEndpointConventionBuilderExtensions
{
    /// <summary>
    /// Makes the endpoint's requests chat connections of <paramref name="kind"/>: admitted first
    /// (<see cref="ConnectionAdmission"/>), then served straight from routing (short-circuited). A chat
    /// request (a WebSocket, an event stream) lasts as long as its connection, and every middleware it
    /// passes keeps its state that long: the authentication middleware alone kept a service scope and
    /// 1.8 KB per idle connection. So a request is authenticated here, and only if it presents a token:
    /// an anonymous chat connection needs no authentication at all.
    /// </summary>
    public static IEndpointConventionBuilder AsChatEndpoint(this IEndpointConventionBuilder builder, ChatEndpoint kind)
    {
        builder.Add(endpoint =>
        {
            var serve = endpoint.RequestDelegate ?? throw new InvalidOperationException($"{endpoint.DisplayName} has no request delegate.");
            var admission = endpoint.ApplicationServices.GetRequiredService<ConnectionAdmission>();
            var opensConnection = kind.OpensConnection(endpoint.Metadata);
            endpoint.RequestDelegate = context => !admission.TryAdmit(context, opensConnection) ? Task.CompletedTask
                : AdminTokenAuthenticationHandler.IsPresented(context.Request) ? AuthenticateThenServeAsync(context, serve)
                : serve(context);
        });
        return builder.ShortCircuit();
    }

    /// <summary>What the authentication middleware does with the default scheme (the admin token).</summary>
    private static async Task AuthenticateThenServeAsync(HttpContext context, RequestDelegate serve)
    {
        if ((await context.AuthenticateAsync()).Principal is { } user)
        {
            context.User = user;
        }

        await serve(context);
    }
}
