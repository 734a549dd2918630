using Microsoft.Extensions.FileProviders;
using Microsoft.Net.Http.Headers;

namespace Wschat.Hub.Hosting;

/// <summary>
/// The browser pages (<c>/demo/</c>, the danmaku player; <c>/admin/</c>, the operator console) and the
/// SignalR browser bundle they load. The files are embedded in the assembly: they are served wherever
/// the server runs from (a test host, a single-file executable), and need no CDN.
/// </summary>
internal static class WebPages
{
    public const string DemoPath = "/demo/";

    private const string EmbeddedRoot = "Web";

    public static void UseWschatPages(this WebApplication app)
    {
        var files = new ManifestEmbeddedFileProvider(typeof(WebPages).Assembly, EmbeddedRoot);

        // A browser opening the server's root gets the player; a WebSocket (a legacy client) or any
        // request not asking for HTML still reaches the raw wschat endpoint mapped at "/".
        app.Use((context, next) =>
        {
            var request = context.Request;
            if (request.Path == WschatServer.RawPath && HttpMethods.IsGet(request.Method) && !context.WebSockets.IsWebSocketRequest
                && request.GetTypedHeaders().Accept.Any(static accept => accept.MediaType.Equals("text/html", StringComparison.OrdinalIgnoreCase)))
            {
                context.Response.Redirect(DemoPath + request.QueryString);
                return Task.CompletedTask;
            }

            return next(context);
        });
        app.UseDefaultFiles(new DefaultFilesOptions { FileProvider = files });
        app.UseStaticFiles(new StaticFileOptions
        {
            FileProvider = files,

            // The pages change with the server: a browser revalidates (cheap, by ETag) instead of running stale script.
            OnPrepareResponse = static context => context.Context.Response.Headers[HeaderNames.CacheControl] = "no-cache",
        });
    }
}
