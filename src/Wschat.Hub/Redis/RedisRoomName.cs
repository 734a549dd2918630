namespace Wschat.Hub.Redis;

/// <summary>
/// The stem of every Redis key and channel of a room: <c>room:{tag}</c>. Redis Cluster hashes only the
/// text between the first <c>{</c> and the first <c>}</c> after it (the whole key when that is empty),
/// so the tag holds the room name with <c>}</c> escaped: a name like <c>}x</c> or <c>a}b</c> then
/// keeps all of a room's keys in one slot, as its Lua scripts need. <c>%</c> is escaped too, so two
/// names never share a tag; other names are written as they are.
/// </summary>
internal static class RedisRoomName
{
    public static string Of(string room) =>
        "room:{" + room.Replace("%", "%25", StringComparison.Ordinal).Replace("}", "%7D", StringComparison.Ordinal) + "}";
}
