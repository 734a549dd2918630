using System.Globalization;
using StackExchange.Redis;
using Wschat.Hub.Redis;

namespace Wschat.Hub.Presence;

/// <summary>
/// Key layout. A room's two hashes share its hash tag (<see cref="RedisRoomName"/>), so its Lua scripts touch one
/// slot and work on Redis Cluster; node indexes let survivors clean up after a dead node.
/// </summary>
internal sealed class RedisPresenceKeys(string prefix)
{
    /// <summary>Hash uid → ip of the room's members.</summary>
    public RedisKey Members(string room) => $"{prefix}{RedisRoomName.Of(room)}:members";

    /// <summary>Hash uid → stored login of the room's logged-in members.</summary>
    public RedisKey Logins(string room) => $"{prefix}{RedisRoomName.Of(room)}:logins";

    /// <summary>Sorted set (all scores 0, so in name order) of the rooms that have members: the room listing's index.</summary>
    public RedisKey Rooms => $"{prefix}rooms";

    /// <summary>Hash uid → node of every connected uid in the cluster.</summary>
    public RedisKey Connected => $"{prefix}uids";

    /// <summary>Sorted set node → lease expiry (Unix ms by Redis's clock). The node keys share the <c>{nodes}</c> hash tag.</summary>
    public RedisKey Nodes => $"{prefix}{{nodes}}";

    /// <summary>Hash uid → room of a node's room members.</summary>
    public RedisKey NodeMembers(string node) => $"{prefix}{{nodes}}:{node}:members";

    /// <summary>Set of a node's connected uids.</summary>
    public RedisKey NodeConnected(string node) => $"{prefix}{{nodes}}:{node}:uids";

    /// <summary>Set when a node renewed while it was being reaped: it must write its presence again.</summary>
    public RedisKey NodeLost(string node) => $"{prefix}{{nodes}}:{node}:lost";

    public static RedisValue Uid(long uid) => uid.ToString(CultureInfo.InvariantCulture);
}
