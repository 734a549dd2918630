using System.Collections.Concurrent;

namespace Wschat.Hub.Presence;

/// <summary>Presence of one node, in memory: the embedded default when no Redis is configured.</summary>
internal sealed class MemoryPresenceStore : IPresenceStore
{
    private readonly ConcurrentDictionary<string, RoomPresence> _rooms = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<long, byte> _connected = new();

    public ValueTask ConnectAsync(long uid, CancellationToken cancellationToken)
    {
        _connected.TryAdd(uid, 0);
        return ValueTask.CompletedTask;
    }

    public ValueTask DisconnectAsync(long uid, CancellationToken cancellationToken)
    {
        _connected.TryRemove(uid, out _);
        return ValueTask.CompletedTask;
    }

    public ValueTask<IReadOnlyList<long>> FindConnectedAsync(IReadOnlyList<long> uids, CancellationToken cancellationToken)
    {
        var found = new List<long>(uids.Count);
        foreach (var uid in uids)
        {
            if (IsConnected(uid))
            {
                found.Add(uid);
            }
        }

        return ValueTask.FromResult<IReadOnlyList<long>>(found);
    }

    public ValueTask<RoomCounts> JoinAsync(string room, RoomMember member, CancellationToken cancellationToken)
    {
        while (true)
        {
            var state = _rooms.GetOrAdd(room, static _ => new RoomPresence());
            lock (state)
            {
                // A room emptied and dropped between GetOrAdd and the lock: take the new one.
                if (state.Dropped)
                {
                    continue;
                }

                state.Set(member);
                return ValueTask.FromResult(state.Counts);
            }
        }
    }

    public ValueTask<RoomCounts> LeaveAsync(string room, long uid, CancellationToken cancellationToken) =>
        Update(room, uid, static (state, uid, _) => state.Remove(uid), default(UserLogin));

    public ValueTask<RoomCounts> SetLoginAsync(string room, long uid, UserLogin? login, CancellationToken cancellationToken) =>
        Update(room, uid, static (state, uid, login) => state.SetLogin(uid, login), login);

    public ValueTask<RoomMember?> FindMemberAsync(string room, long uid, CancellationToken cancellationToken) =>
        ValueTask.FromResult(Find(room, uid));

    public ValueTask<RoomCounts> GetCountsAsync(string room, CancellationToken cancellationToken)
    {
        if (!_rooms.TryGetValue(room, out var state))
        {
            return ValueTask.FromResult(default(RoomCounts));
        }

        lock (state)
        {
            return ValueTask.FromResult(state.Counts);
        }
    }

    public ValueTask<LoggedInUsers> GetLoggedInUsersAsync(string room, int limit, CancellationToken cancellationToken)
    {
        if (!_rooms.TryGetValue(room, out var state))
        {
            return ValueTask.FromResult(new LoggedInUsers([], 0));
        }

        lock (state)
        {
            return ValueTask.FromResult(new LoggedInUsers(state.LoggedIn(limit), state.Counts.LoginedCount));
        }
    }

    public ValueTask<IReadOnlyList<RoomSummary>> ListRoomsAsync(string after, int limit, CancellationToken cancellationToken)
    {
        var names = _rooms.Keys.Where(name => RoomNameOrder.Instance.Compare(name, after) > 0).Order(RoomNameOrder.Instance);
        var rooms = new List<RoomSummary>(limit);
        foreach (var name in names)
        {
            if (rooms.Count == limit)
            {
                break;
            }

            if (_rooms.TryGetValue(name, out var state))
            {
                lock (state)
                {
                    if (!state.IsEmpty)
                    {
                        rooms.Add(new RoomSummary(name, state.Counts));
                    }
                }
            }
        }

        return ValueTask.FromResult<IReadOnlyList<RoomSummary>>(rooms);
    }

    /// <summary>The member as recorded in the room, or null.</summary>
    public RoomMember? Find(string room, long uid)
    {
        if (!_rooms.TryGetValue(room, out var state))
        {
            return null;
        }

        lock (state)
        {
            return state.Find(uid);
        }
    }

    /// <summary>Every member of every room, for re-registering a node's presence elsewhere.</summary>
    public List<(string Room, RoomMember Member)> SnapshotMembers()
    {
        var members = new List<(string, RoomMember)>();
        foreach (var (room, state) in _rooms)
        {
            lock (state)
            {
                foreach (var member in state.Members)
                {
                    members.Add((room, member));
                }
            }
        }

        return members;
    }

    public List<long> SnapshotConnected() => [.. _connected.Keys];

    public bool IsConnected(long uid) => _connected.ContainsKey(uid);

    private ValueTask<RoomCounts> Update(string room, long uid, Action<RoomPresence, long, UserLogin?> change, UserLogin? login)
    {
        if (!_rooms.TryGetValue(room, out var state))
        {
            return ValueTask.FromResult(default(RoomCounts));
        }

        lock (state)
        {
            change(state, uid, login);
            if (state.IsEmpty && !state.Dropped)
            {
                state.Dropped = true;
                _rooms.TryRemove(new KeyValuePair<string, RoomPresence>(room, state));
            }

            return ValueTask.FromResult(state.Counts);
        }
    }

    /// <summary>A room's members; guarded by locking the instance.</summary>
    private sealed class RoomPresence
    {
        private readonly Dictionary<long, RoomMember> _members = [];
        private int _logined;

        public bool Dropped { get; set; }

        public bool IsEmpty => _members.Count == 0;

        public RoomCounts Counts => new(_members.Count, _logined);

        public IEnumerable<RoomMember> Members => _members.Values;

        public RoomMember? Find(long uid) => _members.GetValueOrDefault(uid);

        public void Set(RoomMember member)
        {
            Remove(member.Uid);
            _members[member.Uid] = member;
            _logined += member.Login is null ? 0 : 1;
        }

        public void Remove(long uid)
        {
            if (_members.Remove(uid, out var old) && old.Login is not null)
            {
                _logined--;
            }
        }

        public void SetLogin(long uid, UserLogin? login)
        {
            if (_members.TryGetValue(uid, out var member))
            {
                Set(member with { Login = login });
            }
        }

        public List<RoomMember> LoggedIn(int limit)
        {
            var users = new List<RoomMember>(Math.Min(limit, _logined));
            foreach (var member in _members.Values)
            {
                if (users.Count == limit)
                {
                    break;
                }

                if (member.Login is not null)
                {
                    users.Add(member);
                }
            }

            return users;
        }
    }
}
