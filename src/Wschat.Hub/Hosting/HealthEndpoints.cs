using System.Text.Json;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Diagnostics.HealthChecks;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Wschat.Hub.Identity;

namespace Wschat.Hub.Hosting;

/// <summary>
/// <c>/healthz</c>: is the node alive, and is it connected to Redis. <c>/readyz</c>: should a load
/// balancer send it new connections (no while shutting down or drained by an admin's
/// <c>POST /drain</c>).
/// </summary>
internal static class HealthEndpoints
{
    public const string HealthPath = "/healthz";
    public const string ReadyPath = "/readyz";
    public const string DrainPath = "/drain";

    public static void MapWschatHealth(this WebApplication app)
    {
        app.MapHealthChecks(HealthPath, new HealthCheckOptions { ResponseWriter = WriteHealthAsync });

        var lifetime = app.Services.GetRequiredService<IHostApplicationLifetime>();
        var drain = new DrainState();
        app.MapGet(ReadyPath, () => lifetime.ApplicationStopping.IsCancellationRequested || drain.IsDrained
            ? Results.Text("draining\n", statusCode: StatusCodes.Status503ServiceUnavailable)
            : Results.Text("ready\n"));
        app.MapPost(DrainPath, async (HttpContext context) =>
        {
            var user = (await context.AuthenticateAsync()).Principal;
            if (user?.IsInRole(AdminTokenAuthenticationHandler.AdminRole) != true)
            {
                return Results.StatusCode(StatusCodes.Status403Forbidden);
            }

            drain.IsDrained = context.Request.Query["undo"].Count == 0;
            return Results.Text(drain.IsDrained ? "drained\n" : "ready\n");
        });
    }

    private static Task WriteHealthAsync(HttpContext context, HealthReport report)
    {
        context.Response.ContentType = "application/json";
        var checks = report.Entries.ToDictionary(static e => e.Key, static e => new { status = e.Value.Status.ToString(), description = e.Value.Description });
        return context.Response.WriteAsync(JsonSerializer.Serialize(new { status = report.Status.ToString(), checks }));
    }

    private sealed class DrainState
    {
        public volatile bool IsDrained;
    }
}
