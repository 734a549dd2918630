using Microsoft.Extensions.FileProviders;

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

    // The pages show what other clients sent (names, avatars, text): nothing of it may run, load a script
    // or style from elsewhere, or send anything but to this server; pictures may come from https: and
    // data: URLs (avatars). 'self' covers the WebSockets to this server too. No page is framed.
    private const string ContentSecurityPolicy =
        "default-src 'self'; img-src 'self' data: https:; object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'";

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

            OnPrepareResponse = static context =>
            {
                var headers = context.Context.Response.Headers;

                // The pages change with the server: a browser revalidates (cheap, by ETag) instead of running stale script.
                headers.CacheControl = "no-cache";
                headers.ContentSecurityPolicy = ContentSecurityPolicy;
                headers.XContentTypeOptions = "nosniff";

                // A room's address (?room=) is nobody else's business, nor are the pages' links.
                headers["Referrer-Policy"] = "no-referrer";
            },
        });
    }
}
