using Microsoft.AspNetCore.HttpLogging;

namespace Wschat.Hub.Hosting;

/// <summary>
/// Requests are logged (at Information, category <c>Microsoft.AspNetCore.HttpLogging</c>) with the
/// credentials in their query strings redacted. Clients that cannot set headers carry them there: the
/// admin token as <c>access_token</c> (raw WebSockets, browsers' SignalR WebSockets and server-sent
/// events) and SignalR's connection token as <c>id</c>. The hosting layer's own request lines write the
/// query string as is, so its category is off; HttpLogging writes one line per request and one per
/// response instead, and already redacts headers such as Authorization.
/// </summary>
internal static class RequestLogging
{
    private const string HostingRequestLog = "Microsoft.AspNetCore.Hosting.Diagnostics";
    private const string Redacted = "[Redacted]";

    private static readonly string[] s_credentials = ["access_token", "id"];

    public static void AddWschatRequestLogging(this WebApplicationBuilder builder)
    {
        // Registered after the configuration's rules, so a LogLevel for this category there cannot turn it back on.
        // Off, not just below Information: while the category logs at any level, hosting gives every request an
        // Activity and a log scope, and a WebSocket keeps them for its whole life (0.6 KB per idle connection,
        // docs/performance.md). What else it reports, a failed start, comes out of RunAsync all the same.
        builder.Logging.AddFilter(HostingRequestLog, LogLevel.None);
        builder.Services.AddHttpLogging(static logging => logging.LoggingFields =
            HttpLoggingFields.RequestPropertiesAndHeaders | HttpLoggingFields.ResponsePropertiesAndHeaders | HttpLoggingFields.Duration);
        builder.Services.AddHttpLoggingInterceptor<QueryInterceptor>();
    }

    /// <summary><paramref name="query"/> (with its <c>?</c>) with the value of every credential parameter replaced.</summary>
    internal static string Redact(string query)
    {
        var parameters = query.TrimStart('?').Split('&');
        for (var i = 0; i < parameters.Length; i++)
        {
            var name = parameters[i].Split('=', 2)[0];
            if (s_credentials.Contains(Uri.UnescapeDataString(name), StringComparer.OrdinalIgnoreCase))
            {
                parameters[i] = $"{name}={Redacted}";
            }
        }

        return "?" + string.Join('&', parameters);
    }

    private sealed class QueryInterceptor : IHttpLoggingInterceptor
    {
        public ValueTask OnRequestAsync(HttpLoggingInterceptorContext logContext)
        {
            if (logContext.HttpContext.Request.QueryString is { HasValue: true, Value: { } query })
            {
                logContext.AddParameter("QueryString", Redact(query));
            }

            return ValueTask.CompletedTask;
        }

        public ValueTask OnResponseAsync(HttpLoggingInterceptorContext logContext) => ValueTask.CompletedTask;
    }
}
