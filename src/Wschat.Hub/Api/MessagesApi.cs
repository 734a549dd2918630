using System.Text.Json;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.SignalR;
using Wschat.Contracts;
using Wschat.Hub.Hubs;
using Wschat.Hub.Moderation;
using Wschat.Hub.Presence;
using Wschat.Hub.Rooms;

namespace Wschat.Hub.Api;

/// <summary>
/// A backend's messages: into a room through the room broker, as a member's danmu or text goes (the word
/// filter, the limits and the payload the hub builds), and to a uid on any node as a member's sendto.
/// </summary>
internal sealed class MessagesApi(
    IRoomPublisher rooms,
    IHubContext<WschatHub, IWschatClient> hub,
    IPresenceStore presence,
    WordFilterService words,
    IIdempotencyStore idempotency,
    ApiInput input)
{
    private const int MaxIdempotencyKeyLength = 200;

    public async Task<Results<Ok<RoomMessageReply>, ValidationProblem, ProblemHttpResult>> PublishAsync(
        string room, RoomMessageRequest request, string? idempotencyKey, CancellationToken cancellationToken)
    {
        if ((input.CheckRoom(room) ?? CheckType(request.Type) ?? input.CheckText(request.Text)
            ?? input.CheckField("username", request.Username) ?? input.CheckField("avatar", request.Avatar)
            ?? CheckIdempotencyKey(idempotencyKey)) is { } invalid)
        {
            return invalid;
        }

        if (idempotencyKey is null)
        {
            return await PublishAsync(room, request);
        }

        // Scoped to the room: a key reused for another room is another request.
        var key = room + "\n" + idempotencyKey;
        var claim = await idempotency.ClaimAsync(key, cancellationToken);
        if (!claim.IsNew)
        {
            return claim.Reply is { } reply
                ? TypedResults.Ok(JsonSerializer.Deserialize<RoomMessageReply>(reply, JsonSerializerOptions.Web)!)
                : TypedResults.Problem("A request with this Idempotency-Key is still being processed.", statusCode: StatusCodes.Status409Conflict);
        }

        var result = await PublishAsync(room, request);
        if (result.Result is Ok<RoomMessageReply> { Value: { } published })
        {
            await idempotency.CompleteAsync(key, JsonSerializer.Serialize(published, JsonSerializerOptions.Web), CancellationToken.None);
        }
        else
        {
            await idempotency.ReleaseAsync(key, CancellationToken.None);
        }

        return result;
    }

    public async Task<Results<NoContent, ValidationProblem, ProblemHttpResult>> SendToAsync(string uidText, UserMessageRequest request, CancellationToken cancellationToken)
    {
        if ((ApiInput.CheckUid(uidText, out var uid) ?? input.CheckText(request.Text)
            ?? input.CheckField("username", request.Username) ?? input.CheckField("avatar", request.Avatar)
            ?? input.CheckField("userId", request.UserId) ?? input.CheckField("userInfo", request.UserInfo)) is { } invalid)
        {
            return invalid;
        }

        if ((await presence.FindConnectedAsync([uid], cancellationToken)).Count == 0)
        {
            return TypedResults.Problem($"uid {uid} is not connected.", statusCode: StatusCodes.Status404NotFound);
        }

        await hub.Clients.User(uidText).SendTo(ChatPayloads.Chat(
            words.Filter(request.Text!), ChatPayloads.ServerUid, request.Username, request.Avatar, request.UserId, request.UserInfo));
        return TypedResults.NoContent();
    }

    private async Task<Results<Ok<RoomMessageReply>, ValidationProblem, ProblemHttpResult>> PublishAsync(string room, RoomMessageRequest request)
    {
        var text = words.Filter(request.Text!);
        var (method, payload) = request.Type == WschatMethods.Danmu
            ? (WschatMethods.Danmu, (object)ChatPayloads.Danmu(text, ChatPayloads.ServerUid, request.Username, request.Avatar))
            : (WschatMethods.Text, ChatPayloads.Chat(text, ChatPayloads.ServerUid, request.Username, request.Avatar));
        try
        {
            var position = await rooms.PublishAsync(room, method, [payload]);
            return TypedResults.Ok(new RoomMessageReply(room, position.Epoch, position.Offset));
        }
        catch (RoomBacklogFullException ex)
        {
            return TypedResults.Problem(ex.Message, statusCode: StatusCodes.Status503ServiceUnavailable);
        }
    }

    private static ValidationProblem? CheckType(string? type) => type is WschatMethods.Danmu or WschatMethods.Text
        ? null
        : ApiInput.Invalid("type", "must be \"danmu\" or \"text\"");

    private static ValidationProblem? CheckIdempotencyKey(string? key) => key is null || (key.Length is > 0 and <= MaxIdempotencyKeyLength)
        ? null
        : ApiInput.Invalid("Idempotency-Key", $"must be 1 to {MaxIdempotencyKeyLength} characters");
}
