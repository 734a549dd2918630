namespace Wschat.Client;

/// <summary>
/// The client rejoined its room after a reconnect. Raised before the messages it missed, which then
/// arrive through the usual events, in order, each once, followed by the live ones.
/// </summary>
public sealed class RoomResumedEventArgs(string room, bool recovered, int replayed) : EventArgs
{
    public string Room { get; } = room;

    /// <summary>
    /// True: the danmu and text that follow are exactly those sent while the client was away. False: the
    /// room no longer holds all of them (the gap outgrew its history, or the history was lost); the
    /// latest ones follow instead.
    /// </summary>
    public bool Recovered { get; } = recovered;

    /// <summary>How many danmu and text come from the room's history.</summary>
    public int Replayed { get; } = replayed;
}
