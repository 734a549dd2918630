using System.Net;
using System.Net.Sockets;
using System.Security.Cryptography;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.Options;
using Wschat.Contracts;
using Wschat.Hub.Hubs;
using Wschat.Hub.Identity;
using Wschat.Hub.Moderation;
using Wschat.Hub.Presence;
using Wschat.Hub.Rooms;

namespace Wschat.Hub.Api;

/// <summary>
/// A backend moderating: kicks, mutes, bans and silence in a room, and the prohibited-word list. Mutes and
/// bans hold a verified login id where there is one, since a reconnect brings a new uid but the same login.
/// </summary>
internal sealed class ModerationApi(
    IRoomPublisher rooms,
    IPresenceStore presence,
    IRoomRuleStore rules,
    IBadWordStore badWords,
    WordFilterService words,
    IOptions<LoginOptions> logins,
    TimeProvider time,
    ApiInput input,
    ILogger<ModerationApi> logger)
{
    // Mutes and bans end within a year: anything longer is the site's own business (it issues the login tokens).
    public const int MaxSeconds = 365 * 24 * 3600;

    /// <summary>Closes the uid's connections in the room; with <paramref name="banSeconds"/>, first bans its verified login id and address.</summary>
    public async Task<Results<NoContent, Ok<KickReply>, ValidationProblem, ProblemHttpResult>> KickAsync(
        string room, string uidText, string? reason, int? banSeconds, CancellationToken cancellationToken)
    {
        if ((ApiInput.CheckUid(uidText, out var uid) ?? input.CheckRoom(room) ?? input.CheckField("reason", reason)
            ?? (banSeconds is { } seconds ? CheckSeconds("banSeconds", seconds) : null)) is { } invalid)
        {
            return invalid;
        }

        BanReply? ban = null;
        if (banSeconds is not null)
        {
            // Banned before the kick, so the reconnect the kick provokes finds the ban in place.
            if (await presence.FindMemberAsync(room, uid, cancellationToken) is not { } member)
            {
                return TypedResults.Problem($"uid {uid} is not in room {room}.", statusCode: StatusCodes.Status404NotFound);
            }

            if ((VerifiedLoginId(member), AddressBlocks.Key(member.Ip)) is var (userId, ip) && (userId is not null || ip.Length > 0))
            {
                ban = await BanAsync(room, userId, ip.Length > 0 ? ip : null, banSeconds.Value, cancellationToken);
            }
        }
        else if ((await presence.FindConnectedAsync([uid], cancellationToken)).Count == 0)
        {
            return TypedResults.Problem($"uid {uid} is not connected.", statusCode: StatusCodes.Status404NotFound);
        }

        // Every node closes that uid's connections in the room; their disconnect announces the leave.
        rooms.Kick(room, uidText, WschatMethods.Error, [new ErrorMessage { Code = ErrorCodes.Kicked, Msg = reason ?? "removed from the room" }]);
        ApiLog.Kicked(logger, uid, room);
        return banSeconds is null ? TypedResults.NoContent() : TypedResults.Ok(new KickReply(room, uid, ban));
    }

    public async Task<Results<Ok<MuteReply>, ValidationProblem>> MuteAsync(string room, MuteRequest request, CancellationToken cancellationToken)
    {
        if ((input.CheckRoom(room)
            ?? (request.Uid is null or > 0 ? null : ApiInput.Invalid("uid", "must be a uid (a positive integer)"))
            ?? CheckUserId(request.UserId)
            ?? (request.Uid is null && request.UserId is null ? ApiInput.Invalid("uid", "give a uid, a userId or both") : null)
            ?? CheckSeconds("seconds", request.Seconds ?? 0)) is { } invalid)
        {
            return invalid;
        }

        var userId = request.UserId;
        List<string> keys = [];
        if (request.Uid is { } uid)
        {
            keys.Add(RoomRules.UidKey(uid));
            userId ??= VerifiedLoginId(await presence.FindMemberAsync(room, uid, cancellationToken));
        }

        if (userId is not null)
        {
            keys.Add(RoomRules.LoginKey(userId));
        }

        var until = EndIn(request.Seconds!.Value);
        await rules.MuteAsync(room, keys, until, cancellationToken);
        ApiLog.Muted(logger, request.Uid, userId, room, until);
        return TypedResults.Ok(new MuteReply(room, request.Uid, userId, until));
    }

    public async Task<Results<Created<BanReply>, ValidationProblem>> BanAsync(string room, BanRequest request, CancellationToken cancellationToken)
    {
        string? ip = null;
        if ((input.CheckRoom(room)
            ?? CheckUserId(request.UserId)
            ?? (request.Ip is null || TryParseBlock(request.Ip, out ip) ? null : ApiInput.Invalid("ip", "must be an IPv4 or IPv6 address"))
            ?? (request.UserId is null && request.Ip is null ? ApiInput.Invalid("userId", "give a userId, an ip or both") : null)
            ?? CheckSeconds("seconds", request.Seconds ?? 0)) is { } invalid)
        {
            return invalid;
        }

        var ban = await BanAsync(room, request.UserId, ip, request.Seconds!.Value, cancellationToken);
        return TypedResults.Created($"{ApiEndpoints.Prefix}/rooms/{Uri.EscapeDataString(room)}/bans/{ban.Id}", ban);
    }

    /// <summary>The room's bans in force, those holding <paramref name="userId"/> or the block of <paramref name="ip"/> when given.</summary>
    public async Task<Results<Ok<BanListReply>, ValidationProblem>> ListBansAsync(string room, string? userId, string? ip, CancellationToken cancellationToken)
    {
        string? block = null;
        if ((input.CheckRoom(room) ?? (ip is null || TryParseBlock(ip, out block) ? null : ApiInput.Invalid("ip", "must be an IPv4 or IPv6 address"))) is { } invalid)
        {
            return invalid;
        }

        var bans = (await rules.GetAsync(room, cancellationToken)).ActiveBans(time.GetUtcNow())
            .Where(b => (userId is null || b.UserId == userId) && (block is null || b.Ip == block))
            .Select(b => Reply(room, b));
        return TypedResults.Ok(new BanListReply(room, [.. bans]));
    }

    public async Task<Results<NoContent, ValidationProblem, ProblemHttpResult>> LiftBanAsync(string room, string id, CancellationToken cancellationToken)
    {
        if (input.CheckRoom(room) is { } invalid)
        {
            return invalid;
        }

        if (!await rules.LiftBanAsync(room, id, cancellationToken))
        {
            return TypedResults.Problem($"room {room} has no ban {id}.", statusCode: StatusCodes.Status404NotFound);
        }

        ApiLog.BanLifted(logger, id, room);
        return TypedResults.NoContent();
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

    /// <summary>A member's login id when a verified token gave it; any other is whatever the client sent.</summary>
    private static string? VerifiedLoginId(RoomMember? member) => member?.Login is { Verified: true } login ? login.UserId : null;

    /// <summary>An address given by the backend, as the block bans hold: IPv4 only in its usual form (not <c>10.1</c> or <c>010.0.0.1</c>).</summary>
    private static bool TryParseBlock(string text, out string? block)
    {
        block = IPAddress.TryParse(text, out var address) && (address.AddressFamily == AddressFamily.InterNetworkV6 || address.ToString() == text)
            ? AddressBlocks.Key(address)
            : null;
        return block is not null;
    }

    private static ValidationProblem? CheckSeconds(string name, int seconds) => ApiInput.CheckRange(name, seconds, 1, MaxSeconds);

    private static BanReply Reply(string room, RoomBan ban) => new(ban.Id, room, ban.UserId, ban.Ip, ban.Until);

    /// <summary>A login id to mute or ban: only a verified one names someone (without verification a client sends any).</summary>
    private ValidationProblem? CheckUserId(string? userId) => userId switch
    {
        null => null,
        "" => ApiInput.Invalid("userId", "must not be empty"),
        _ when !logins.Value.IsEnabled => ApiInput.Invalid("userId", "needs verified login (Wschat:Login): without it a login id is whatever a client sends"),
        _ => input.CheckField("userId", userId),
    };

    /// <summary>The end of a mute or ban <paramref name="seconds"/> from now, to the millisecond as Redis keeps it: a reply says what a later list shows.</summary>
    private DateTimeOffset EndIn(int seconds) => DateTimeOffset.FromUnixTimeMilliseconds(time.GetUtcNow().ToUnixTimeMilliseconds()).AddSeconds(seconds);

    private async Task<BanReply> BanAsync(string room, string? userId, string? ip, int seconds, CancellationToken cancellationToken)
    {
        var ban = new RoomBan(Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(8)), userId, ip, EndIn(seconds));
        await rules.BanAsync(room, ban, cancellationToken);
        ApiLog.Banned(logger, ban.Id, userId, ip, room, ban.Until);
        return Reply(room, ban);
    }
}
