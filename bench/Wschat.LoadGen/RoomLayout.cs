namespace Wschat.LoadGen;

/// <summary>
/// Which member is in which room: consecutive members fill a room, so with several ports each
/// room spans every node. Room names carry the generator's pid, so several generators on one
/// cluster each count only their own rooms.
/// </summary>
internal sealed class RoomLayout(int connections, int roomSize)
{
    private readonly int _size = roomSize <= 0 || roomSize > connections ? Math.Max(1, connections) : roomSize;

    public int Count => (connections + _size - 1) / _size;

    public int RoomOf(int member) => member / _size;

    public int First(int room) => room * _size;

    public int Size(int room) => Math.Min(_size, connections - First(room));

    public static string Name(int room) => $"bench-{Environment.ProcessId}-{room}";

    /// <summary>Steady senders rotate over (at most) the first ten members of a room.</summary>
    public int Sender(int room, int turn) => First(room) + (turn % Math.Min(Size(room), 10));
}
