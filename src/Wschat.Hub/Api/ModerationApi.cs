using Microsoft.AspNetCore.Http.HttpResults;
using Wschat.Contracts;
using Wschat.Hub.Hubs;
using Wschat.Hub.Moderation;
using Wschat.Hub.Presence;
using Wschat.Hub.Rooms;

namespace Wschat.Hub.Api;

/// <summary>A backend moderating: kicks, mutes and silence in a room, and the prohibited-word list.</summary>
internal sealed class ModerationApi(
    RoomHubLifetimeManager<WschatHub> rooms,
    IPresenceStore presence,
    IRoomRuleStore rules,
    IBadWordStore badWords,
    WordFilterService words,
    TimeProvider time,
    ApiInput input,
    ILogger<ModerationApi> logger)
{
    // A mute longer than a year is a ban, which is the site's own business.
    public const int MaxMuteSeconds = 365 * 24 * 3600;

    public async Task<Results<NoContent, ValidationProblem, ProblemHttpResult>> KickAsync(string room, string uidText, string? reason, CancellationToken cancellationToken)
    {
        if ((ApiInput.CheckUid(uidText, out var uid) ?? input.CheckRoom(room) ?? input.CheckField("reason", reason)) is { } invalid)
        {
            return invalid;
        }

        if ((await presence.FindConnectedAsync([uid], cancellationToken)).Count == 0)
        {
            return TypedResults.Problem($"uid {uid} is not connected.", statusCode: StatusCodes.Status404NotFound);
        }

        // Every node closes that uid's connections in the room; their disconnect announces the leave.
        await rooms.KickAsync(room, uidText, WschatMethods.Error, [new ErrorMessage { Code = ErrorCodes.Kicked, Msg = reason ?? "removed from the room" }]);
        ApiLog.Kicked(logger, uid, room);
        return TypedResults.NoContent();
    }

    public async Task<Results<Ok<MuteReply>, ValidationProblem>> MuteAsync(string room, MuteRequest request, CancellationToken cancellationToken)
    {
        if ((input.CheckRoom(room)
            ?? (request.Uid is > 0 ? null : ApiInput.Invalid("uid", "must be a uid (a positive integer)"))
            ?? ApiInput.CheckRange("seconds", request.Seconds ?? 0, 1, MaxMuteSeconds)) is { } invalid)
        {
            return invalid;
        }

        var uid = request.Uid!.Value;
        var until = time.GetUtcNow().AddSeconds(request.Seconds!.Value);
        await rules.MuteAsync(room, uid, until, cancellationToken);
        ApiLog.Muted(logger, uid, room, until);
        return TypedResults.Ok(new MuteReply(room, uid, until));
    }

    public async Task<Results<Ok<SilenceReply>, ValidationProblem>> SilenceAsync(string room, SilenceRequest request, CancellationToken cancellationToken)
    {
        if ((input.CheckRoom(room) ?? (request.Silenced is null ? ApiInput.Invalid("silenced", "must be true or false") : null)) is { } invalid)
        {
            return invalid;
        }

        await rules.SetSilencedAsync(room, request.Silenced!.Value, cancellationToken);
        ApiLog.Silenced(logger, room, request.Silenced.Value);
        return TypedResults.Ok(new SilenceReply(room, request.Silenced.Value));
    }

    public async Task<Ok<BadWordsDocument>> GetBadWordsAsync(CancellationToken cancellationToken) =>
        TypedResults.Ok(new BadWordsDocument(await badWords.LoadAsync(cancellationToken)));

    /// <summary>What <c>setbadwords</c> does: a malformed list is refused and the current one stays.</summary>
    public async Task<Results<Ok<BadWordsDocument>, ValidationProblem>> PutBadWordsAsync(BadWordsDocument document, CancellationToken cancellationToken)
    {
        if (document.Rules is null)
        {
            return ApiInput.Invalid("rules", "must be the list as word=replacement lines");
        }

        try
        {
            await words.ReplaceAsync(document.Rules, cancellationToken);
        }
        catch (FormatException ex)
        {
            return ApiInput.Invalid("rules", ex.Message);
        }

        return TypedResults.Ok(document);
    }
}
