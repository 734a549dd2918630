using System.Buffers;
using Microsoft.AspNetCore.SignalR;
using Microsoft.AspNetCore.SignalR.Protocol;
using Microsoft.Extensions.Options;
using Wschat.Contracts;

namespace Wschat.Hub.Rooms;

/// <summary>
/// Answers <c>history</c>: reads the room's stream and turns its danmu and text into entries of one
/// reply, the same for every protocol. The stream keeps each message as the bytes every protocol
/// received (on a cluster, made by whichever node sent it); the entry's fields are read back from the
/// SignalR JSON bytes by SignalR's own JSON protocol, so what a late joiner reads is what members saw.
/// Events are not kept (<see cref="Keeps"/>): their counts are stale by the time anyone reads them, and a
/// room that only saw joins and leaves then holds nothing.
/// </summary>
internal sealed class RoomHistoryReplies(IRoomBroker broker, IHubProtocolResolver protocols, IOptions<RoomHistoryOptions> options)
{
    private readonly IHubProtocol _json = protocols.GetProtocol("json", null)
        ?? throw new InvalidOperationException("The SignalR JSON protocol is not registered.");

    /// <summary>True for the room messages the room numbers and keeps as its history: danmu and text.</summary>
    public static bool Keeps(string methodName) => methodName is WschatMethods.Danmu or WschatMethods.Text;

    public async Task<HistoryMessage> ReadAsync(string room, HistoryRequest request, CancellationToken cancellationToken)
    {
        var size = options.Value.Size;
        var limit = request.Limit > 0 ? Math.Min(request.Limit, size) : size;
        if (request.Epoch is { Length: > 0 } epoch)
        {
            var since = new RoomPosition(epoch, request.Offset);
            var missed = await broker.ReadHistoryAsync(room, since, size, cancellationToken);
            var entries = Entries(missed.Publications);
            if (HasEverythingAfter(since, missed) && entries.Count <= limit)
            {
                return Reply(room, missed.Last, recovered: true, entries);
            }
        }

        var retained = await broker.ReadHistoryAsync(room, RoomPosition.Start, size, cancellationToken);
        var all = Entries(retained.Publications);
        return Reply(room, retained.Last, recovered: false, all.Count <= limit ? all : all[^limit..]);
    }

    /// <summary>True if the read holds every message after <paramref name="since"/>: same epoch, nothing lost in between.</summary>
    private static bool HasEverythingAfter(RoomPosition since, RoomHistory read) =>
        read.Last.Epoch == since.Epoch && since.Offset <= read.Last.Offset && (read.Publications.Count == 0
            ? since.Offset == read.Last.Offset
            : read.Publications[0].Position.Offset == since.Offset + 1);

    private static HistoryMessage Reply(string room, RoomPosition last, bool recovered, List<HistoryEntry> entries) => new()
    {
        Room = room,
        Epoch = last.Epoch,
        Offset = last.Offset,
        Recovered = recovered,
        Messages = entries,
    };

    /// <summary>The danmu and text of a history read as entries: the one decoder of history, for the hub's replies and the HTTP API.</summary>
    public List<HistoryEntry> Entries(IReadOnlyList<RoomPublication> publications)
    {
        var entries = new List<HistoryEntry>(publications.Count);
        foreach (var publication in publications)
        {
            var bytes = new ReadOnlySequence<byte>(publication.Message.Serialized.GetSerializedMessage(_json));
            if (_json.TryParseMessage(ref bytes, ChatBinder.Instance, out var message) && message is InvocationMessage { Arguments: [var payload] } invocation)
            {
                entries.Add(payload switch
                {
                    DanmuMessage danmu => new HistoryEntry { Offset = publication.Position.Offset, Type = invocation.Target, Text = danmu.Text, Uid = danmu.Uid, Avatar = danmu.Avatar, Username = danmu.Username },
                    ChatMessage text => new HistoryEntry { Offset = publication.Position.Offset, Type = invocation.Target, Text = text.Text, Uid = text.Uid, UserId = text.UserId, Avatar = text.Avatar, Username = text.Username, UserInfo = text.UserInfo },
                    _ => throw new InvalidOperationException("The binder binds danmu and text only."),
                });
            }
        }

        return entries;
    }

    /// <summary>Binds the room messages history keeps (danmu and text); any other (an event kept by an older version) fails to bind and is skipped.</summary>
    private sealed class ChatBinder : IInvocationBinder
    {
        public static readonly ChatBinder Instance = new();

        public IReadOnlyList<Type> GetParameterTypes(string methodName) => methodName switch
        {
            WschatMethods.Danmu => [typeof(DanmuMessage)],
            WschatMethods.Text => [typeof(ChatMessage)],
            _ => throw new InvalidOperationException($"{methodName} is not kept as history."),
        };

        public Type GetReturnType(string invocationId) => throw new NotSupportedException();

        public Type GetStreamItemType(string streamId) => throw new NotSupportedException();
    }
}
