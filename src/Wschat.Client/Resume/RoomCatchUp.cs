using Wschat.Contracts;

namespace Wschat.Client.Resume;

/// <summary>
/// A rejoined room catching up: the client joined first, so nothing live is missed, and holds the
/// room's live messages here until the history reply comes; then history and the held messages go
/// out in offset order, each once (Centrifugo recovers subscriptions the same way).
/// </summary>
internal sealed class RoomCatchUp(string room)
{
    private readonly List<(RoomPosition? Position, string Type, object Payload)> _held = [];

    public string Room { get; } = room;

    public void Hold(RoomPosition? position, string type, object payload) => _held.Add((position, type, payload));

    /// <summary>
    /// The messages to raise, in order: the history's danmu and text, then the held messages it does not
    /// cover (a held danmu or text at or before the history's offset was in it; events never are).
    /// </summary>
    public IEnumerable<(RoomPosition Position, string Type, object Payload)> Release(HistoryMessage history)
    {
        var covered = new RoomPosition(history.Epoch, history.Offset);
        foreach (var entry in history.Messages)
        {
            yield return (covered with { Offset = entry.Offset }, entry.Type, ToPayload(entry));
        }

        foreach (var (position, type, payload) in _held)
        {
            if (payload is RoomEvent || position is not { } at || covered.IsBefore(at))
            {
                yield return (position ?? covered, type, payload);
            }
        }
    }

    private static object ToPayload(HistoryEntry entry) => entry.Type == WschatMethods.Danmu
        ? new DanmuMessage { Text = entry.Text, Uid = entry.Uid, Avatar = entry.Avatar, Username = entry.Username }
        : new ChatMessage { Text = entry.Text, Uid = entry.Uid, UserId = entry.UserId, Avatar = entry.Avatar, Username = entry.Username, UserInfo = entry.UserInfo };
}
