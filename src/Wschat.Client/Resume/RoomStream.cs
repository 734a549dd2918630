using Wschat.Client.Requests;
using Wschat.Contracts;

namespace Wschat.Client.Resume;

/// <summary>
/// The room's messages as the client raises them (<paramref name="raise"/>): each danmu and text once, in
/// the room's order, across reconnects. Rejoining after a reconnect, it catches up from the last place
/// raised (<see cref="RoomCatchUp"/>) and tells <paramref name="resumed"/> first. The client calls it under
/// its receive lock, <see cref="RejoinAsync"/> excepted.
/// </summary>
internal sealed class RoomStream(RequestChannel requests, Action<string, object> raise, Action<string, HistoryMessage> resumed)
{
    // Per connection: the place the next room message has.
    private RoomPosition? _next;

    // The place of the last room message raised (kept across reconnects; a danmu or text not after it was
    // raised already), and a rejoined room catching up.
    private RoomPosition? _last;
    private RoomCatchUp? _catchUp;

    /// <summary>The reply to a history request for <paramref name="room"/>.</summary>
    public static Func<string, object, bool> IsHistoryOf(string? room) =>
        (_, payload) => payload is HistoryMessage history && history.Room == room;

    /// <summary>A new connection: no offset message came on it yet.</summary>
    public void ConnectionChanged() => _next = null;

    /// <summary>Another room: nothing of it was raised yet.</summary>
    public void Forget() => _last = null;

    /// <summary>
    /// Ends a catch-up if <paramref name="payload"/> is the history it waits for. Called before the reply
    /// completes its request: the rejoin must not go on while held messages wait.
    /// </summary>
    public void FinishCatchUpOn(object payload)
    {
        if (payload is HistoryMessage history && Volatile.Read(ref _catchUp) is { } catchUp && history.Room == catchUp.Room)
        {
            FinishCatchUp(catchUp, history);
        }
    }

    /// <summary>Takes an offset or a room message (raised once, or held while catching up); false for any other message.</summary>
    public bool TryTake(string type, object payload)
    {
        switch (payload)
        {
            case OffsetMessage offset:
                _next = new RoomPosition(offset.Epoch, offset.Offset);
                return true;
            case DanmuMessage or RoomEvent or ChatMessage when type != WschatMethods.SendTo:
                // A room message: its offset message, if the server sends them, came just before it.
                var position = _next;
                _next = null;
                if (Volatile.Read(ref _catchUp) is { } catchingUp)
                {
                    catchingUp.Hold(position, type, payload);
                    return true;
                }

                RaiseInRoom(position, type, payload);
                return true;
            default:
                return false;
        }
    }

    /// <summary>
    /// Rejoins <paramref name="room"/> through <paramref name="join"/> after a reconnect and asks for what was
    /// missed since the last place raised. A failed catch-up lets go of the connection (<paramref name="abandon"/>).
    /// </summary>
    public async Task RejoinAsync(string room, Func<CancellationToken, Task> join, Func<Task> abandon, CancellationToken cancellationToken)
    {
        if (_last is not { } since)
        {
            // Never given an offset (not asked, or a server without them): nothing to resume from.
            await join(cancellationToken);
            return;
        }

        // Join first, holding what arrives live, then ask for what was missed: no gap between the two.
        Volatile.Write(ref _catchUp, new RoomCatchUp(room));
        try
        {
            await join(cancellationToken);
            await requests.RequestAsync(WschatMethods.History, new HistoryRequest { Epoch = since.Epoch, Offset = since.Offset }, IsHistoryOf(room), cancellationToken);
        }
        catch
        {
            // Closed while still holding: live messages raised after a failed catch-up would move the
            // place past what was missed. The next attempt resumes from the same place.
            await abandon();
            throw;
        }
        finally
        {
            Volatile.Write(ref _catchUp, null);
        }
    }

    /// <summary>
    /// Raises a room message once. A danmu or text not after the last one raised came already: a resumed
    /// client gets the live copies of what its history reply held after that reply (they travel through
    /// the room, the reply does not). Events are never in history: one arriving late is still raised.
    /// </summary>
    private void RaiseInRoom(RoomPosition? at, string type, object payload)
    {
        if (at is { } position && !AdvanceTo(position) && payload is not RoomEvent)
        {
            return;
        }

        raise(type, payload);
    }

    /// <summary>Moves the last place raised to <paramref name="position"/> if that comes after it; false if it does not.</summary>
    private bool AdvanceTo(RoomPosition position)
    {
        if (_last is { } last && !last.IsBefore(position))
        {
            return false;
        }

        _last = position;
        return true;
    }

    private void FinishCatchUp(RoomCatchUp catchUp, HistoryMessage history)
    {
        Volatile.Write(ref _catchUp, null);
        resumed(catchUp.Room, history);
        foreach (var (at, type, payload) in catchUp.Release(history))
        {
            RaiseInRoom(at, type, payload);
        }

        // Everything the reply covered counts as raised, its live copies still on the way included.
        AdvanceTo(new RoomPosition(history.Epoch, history.Offset));
    }
}
