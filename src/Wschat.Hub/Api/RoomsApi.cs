using System.Buffers.Text;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.Options;
using Wschat.Contracts;
using Wschat.Hub.Hubs;
using Wschat.Hub.Presence;
using Wschat.Hub.Rooms;

namespace Wschat.Hub.Api;

/// <summary>What a backend reads: the rooms with members (cluster-wide), one room's members, and its history.</summary>
internal sealed class RoomsApi(IPresenceStore presence, IRoomBroker broker, RoomHistoryReplies histories, IOptionsMonitor<ChatOptions> chat, ApiInput input)
{
    public const int MaxPage = 1000;
    public const int DefaultPage = 100;

    // History entries keep the contract's field names (as raw clients get them), not the API's camel case.
    private static readonly JsonSerializerOptions s_contract = ContractSerializer.CreateOptions(JavaScriptEncoder.Default);

    public async Task<Results<Ok<RoomListReply>, ValidationProblem>> ListAsync(string? cursor, int? limit, CancellationToken cancellationToken)
    {
        var take = limit ?? DefaultPage;
        if (ApiInput.CheckRange("limit", take, 1, MaxPage) is { } invalidLimit)
        {
            return invalidLimit;
        }

        // The cursor is the last room of the previous page, encoded so that any name travels in a query string.
        var after = "";
        if (!string.IsNullOrEmpty(cursor))
        {
            try
            {
                after = Encoding.UTF8.GetString(Base64Url.DecodeFromChars(cursor));
            }
            catch (FormatException)
            {
                return ApiInput.Invalid("cursor", "must be a nextCursor of a previous page");
            }
        }

        var rooms = await presence.ListRoomsAsync(after, take, cancellationToken);
        var next = rooms.Count == take ? Base64Url.EncodeToString(Encoding.UTF8.GetBytes(rooms[^1].Room)) : null;
        return TypedResults.Ok(new RoomListReply([.. rooms.Select(static r => new RoomSummaryReply(r.Room, r.Counts.UsersCount, r.Counts.LoginedCount))], next));
    }

    public async Task<Results<Ok<RoomReply>, ValidationProblem>> GetAsync(string room, CancellationToken cancellationToken)
    {
        if (input.CheckRoom(room) is { } invalid)
        {
            return invalid;
        }

        var counts = await presence.GetCountsAsync(room, cancellationToken);
        var users = await presence.GetLoggedInUsersAsync(room, chat.CurrentValue.UserListLimit, cancellationToken);
        return TypedResults.Ok(new RoomReply(room, counts.UsersCount, counts.LoginedCount, [.. users.Users
            .Where(static u => u.Login is not null)
            .Select(static u => new RoomUserReply(u.Uid, u.Login!.Username, u.Login.Avatar, u.Login.UserId, u.Login.UserInfo, u.Login.Time, u.Ip))]));
    }

    /// <summary>Messages after offset <c>since</c> of <c>epoch</c> (by default the room's current epoch).</summary>
    public async Task<Results<Ok<HistoryReply>, ValidationProblem>> HistoryAsync(string room, long? since, int? limit, string? epoch, CancellationToken cancellationToken)
    {
        var take = limit ?? DefaultPage;
        if ((input.CheckRoom(room) ?? ApiInput.CheckOffset("since", since ?? 0) ?? ApiInput.CheckRange("limit", take, 1, MaxPage)) is { } invalid)
        {
            return invalid;
        }

        var start = new RoomPosition(epoch ?? "", since ?? 0);
        var history = await broker.ReadHistoryAsync(room, start, take, cancellationToken);
        if (epoch is null && start.Offset > 0 && history.Last.Epoch.Length > 0)
        {
            // Read again in the epoch just learned: without one, the first read started at the oldest message.
            history = await broker.ReadHistoryAsync(room, start with { Epoch = history.Last.Epoch }, take, cancellationToken);
        }

        return TypedResults.Ok(new HistoryReply(room, history.Last.Epoch, history.Last.Offset, [.. histories.Entries(history.Publications).Select(static entry => JsonSerializer.SerializeToNode(entry, s_contract)!.AsObject())]));
    }
}
