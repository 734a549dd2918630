using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.SignalR;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Wschat.Hub.Hubs;
using Wschat.Hub.Identity;
using Wschat.Hub.Rooms;

namespace Wschat.Hub.Api;

/// <summary>
/// The HTTP API for a site's backend, through any node: under <c>/api</c>, every endpoint needs one of
/// <c>Wschat:ApiKeys</c>; JSON in and out; errors as RFC 7807 problem details; described at <c>/openapi/v1.json</c>.
/// </summary>
internal static class ApiEndpoints
{
    public const string Prefix = "/api";

    /// <summary>The API's services, its idempotency keys in memory unless <see cref="AddRedisIdempotency"/> keeps them in Redis.</summary>
    public static IServiceCollection AddWschatApi(this IServiceCollection services)
    {
        services.AddProblemDetails();
        services.AddOpenApi();
        services.AddSingleton<ApiInput>();
        services.AddSingleton<MessagesApi>();
        services.AddSingleton<RoomsApi>();
        services.AddSingleton<ModerationApi>();
        services.AddSingleton<NodesApi>();
        services.TryAddSingleton<IIdempotencyStore, MemoryIdempotencyStore>();
        return services;
    }

    /// <summary>Idempotency keys in Redis, seen by every node, in place of the node's own whichever is registered first.</summary>
    public static IServiceCollection AddRedisIdempotency(this IServiceCollection services) =>
        services.Replace(ServiceDescriptor.Singleton<IIdempotencyStore, RedisIdempotencyStore>());

    public static void MapWschatApi(this WebApplication app)
    {
        // A bare status (401, 404, a body that is not JSON) gets a problem details body too, under /api only.
        app.UseWhen(static context => context.Request.Path.StartsWithSegments(Prefix), static api => api.UseStatusCodePages());
        app.UseAuthorization();
        app.MapOpenApi();

        var api = app.MapGroup(Prefix).RequireAuthorization(ApiKeyAuthenticationHandler.PolicyName).WithTags("wschat");
        api.MapPost("/rooms/{room}/messages", static (string room, RoomMessageRequest body, [FromHeader(Name = "Idempotency-Key")] string? idempotencyKey, MessagesApi messages, CancellationToken cancellationToken) =>
            messages.PublishAsync(room, body, idempotencyKey, cancellationToken))
            .WithSummary("Publishes a danmu or text into a room; replies with its epoch and offset.");
        api.MapPost("/users/{uid}/messages", static (string uid, UserMessageRequest body, MessagesApi messages, CancellationToken cancellationToken) =>
            messages.SendToAsync(uid, body, cancellationToken))
            .WithSummary("Sends a private message (sendto) to a uid connected to any node.");

        api.MapGet("/nodes", static (NodesApi nodes) => nodes.ListAsync())
            .WithSummary("The cluster's nodes, as their leases in Redis show them (this node alone without Redis).");
        api.MapGet("/rooms", static (string? cursor, int? limit, RoomsApi rooms, CancellationToken cancellationToken) =>
            rooms.ListAsync(cursor, limit, cancellationToken))
            .WithSummary("Rooms with members, in name order, with their counts; paged by cursor.");
        api.MapGet("/rooms/{room}", static (string room, RoomsApi rooms, CancellationToken cancellationToken) =>
            rooms.GetAsync(room, cancellationToken))
            .WithSummary("A room's counts and logged-in users.");
        api.MapGet("/rooms/{room}/history", static (string room, long? since, int? limit, string? epoch, RoomsApi rooms, CancellationToken cancellationToken) =>
            rooms.HistoryAsync(room, since, limit, epoch, cancellationToken))
            .WithSummary("The room's retained messages after an offset, with the room's epoch and last offset.");

        api.MapDelete("/rooms/{room}/members/{uid}", static (string room, string uid, string? reason, int? banSeconds, ModerationApi moderation, CancellationToken cancellationToken) =>
            moderation.KickAsync(room, uid, reason, banSeconds, cancellationToken))
            .WithSummary("Kicks a uid from a room: its connections there get an error 4032 and are closed; with banSeconds, its verified login id and address are banned first.");
        api.MapPost("/rooms/{room}/mutes", static (string room, MuteRequest body, ModerationApi moderation, CancellationToken cancellationToken) =>
            moderation.MuteAsync(room, body, cancellationToken))
            .WithSummary("Refuses danmu and text in the room (error 4030) for some seconds from a uid and its verified login id, or from a verified login id.");
        api.MapPost("/rooms/{room}/bans", static (string room, BanRequest body, ModerationApi moderation, CancellationToken cancellationToken) =>
            moderation.BanAsync(room, body, cancellationToken))
            .WithSummary("Refuses joins to the room (error 4033) for some seconds by a verified login id, from an address (IPv6: its /64), or both.");
        api.MapGet("/rooms/{room}/bans", static (string room, string? userId, string? ip, ModerationApi moderation, CancellationToken cancellationToken) =>
            moderation.ListBansAsync(room, userId, ip, cancellationToken))
            .WithSummary("The room's bans in force; with userId or ip, those that hold it.");
        api.MapDelete("/rooms/{room}/bans/{id}", static (string room, string id, ModerationApi moderation, CancellationToken cancellationToken) =>
            moderation.LiftBanAsync(room, id, cancellationToken))
            .WithSummary("Lifts a ban.");
        api.MapPut("/rooms/{room}/silence", static (string room, SilenceRequest body, ModerationApi moderation, CancellationToken cancellationToken) =>
            moderation.SilenceAsync(room, body, cancellationToken))
            .WithSummary("Silences a room (only admin connections may post; others get error 4031) or lifts it.");
        api.MapGet("/badwords", static (ModerationApi moderation, CancellationToken cancellationToken) =>
            moderation.GetBadWordsAsync(cancellationToken))
            .WithSummary("The prohibited-word list, as setbadwords takes it.");
        api.MapPut("/badwords", static (BadWordsDocument body, ModerationApi moderation, CancellationToken cancellationToken) =>
            moderation.PutBadWordsAsync(body, cancellationToken))
            .WithSummary("Replaces the prohibited-word list on every node (as setbadwords does).");
    }
}
