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
    /// The messages to raise, in order: the history's danmu and text, then the held messages. A held danmu
    /// or text the history holds too is not after the last one raised by then: the client drops it.
    /// </summary>
    public IEnumerable<(RoomPosition? Position, string Type, object Payload)> Release(HistoryMessage history)
    {
        var epoch = history.Epoch;
        foreach (var entry in history.Messages)
        {
            yield return (new RoomPosition(epoch, entry.Offset), entry.Type, ToPayload(entry));
        }

        foreach (var held in _held)
        {
            yield return held;
        }
    }

    private static object ToPayload(HistoryEntry entry) => entry.Type == WschatMethods.Danmu
        ? new DanmuMessage { Text = entry.Text, Uid = entry.Uid, Avatar = entry.Avatar, Username = entry.Username }
        : new ChatMessage { Text = entry.Text, Uid = entry.Uid, UserId = entry.UserId, Avatar = entry.Avatar, Username = entry.Username, UserInfo = entry.UserInfo };
}
