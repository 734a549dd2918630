using System.Collections.Concurrent;
using Microsoft.Extensions.Options;

namespace Wschat.Hub.Rooms;

/// <summary>
/// The room broker of a single node: offsets, history and delivery in process. A publisher that
/// finds the room's delivery already queued or running leaves its message to that delivery, which
/// takes all waiting messages as one batch: a hot room fans out in batches, a quiet one message at a time.
/// A room is held while it has subscribers or history: one with neither is forgotten at once. Of the
/// rooms held for their history alone, at most <see cref="RoomLimitsOptions.MaxRooms"/> are kept, the
/// longest idle forgotten first: every join to a new name would otherwise leave its history here for
/// the TTL, beyond what the rooms with members may hold.
/// </summary>
internal sealed class MemoryRoomBroker : IRoomBroker, IDisposable
{
    private readonly ConcurrentDictionary<string, MemoryRoom> _rooms = new(StringComparer.Ordinal);

    // Rooms held for their history alone, the longest idle first; guarded by locking it.
    private readonly LinkedList<MemoryRoom> _idle = new();
    private readonly int _maxIdle;
    private readonly RoomHistoryOptions _options;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly ITimer _sweep;

    public MemoryRoomBroker(IOptions<RoomHistoryOptions> options, IOptions<RoomLimitsOptions> limits, TimeProvider time, ILogger<MemoryRoomBroker> logger)
    {
        _options = options.Value;
        _maxIdle = limits.Value.MaxRooms;
        _time = time;
        _logger = logger;
        var every = TimeSpan.FromSeconds(_options.TtlSeconds);
        _sweep = time.CreateTimer(static broker => ((MemoryRoomBroker)broker!).Sweep(), this, every, every);
    }

    public void Publish(string room, RoomMessage message) => Append(room, message);

    public Task<RoomPosition> PublishAsync(string room, RoomMessage message) => Task.FromResult(Append(room, message));

    private RoomPosition Append(string room, RoomMessage message)
    {
        while (true)
        {
            // What is not kept only goes to the room's subscribers: no room is made for it.
            var memoryRoom = message.IsKept ? Room(room) : _rooms.GetValueOrDefault(room);
            if (memoryRoom is null)
            {
                return RoomPosition.Start;
            }

            if (memoryRoom.TryPublish(message) is { } position)
            {
                return position;
            }

            // The room was forgotten just now: the next lookup makes a new one (or finds none).
        }
    }

    public Task<IAsyncDisposable> SubscribeAsync(string room, IRoomSubscriber subscriber, CancellationToken cancellationToken)
    {
        while (true)
        {
            var memoryRoom = Room(room);
            if (memoryRoom.TryAdd(subscriber))
            {
                return Task.FromResult<IAsyncDisposable>(new SubscriptionHandle(memoryRoom, subscriber));
            }
        }
    }

    public Task<RoomHistory> ReadHistoryAsync(string room, RoomPosition since, int limit, CancellationToken cancellationToken) =>
        Task.FromResult(_rooms.TryGetValue(room, out var memoryRoom) ? memoryRoom.Read(since, limit) : new RoomHistory(RoomPosition.Start, []));

    public void Dispose() => _sweep.Dispose();

    private MemoryRoom Room(string room) => _rooms.GetOrAdd(room, static (name, broker) => new MemoryRoom(broker, name, new RoomStream(broker._options, broker._time)), this);

    /// <summary>Forgets the rooms whose history expired with nobody in them.</summary>
    private void Sweep()
    {
        foreach (var (_, memoryRoom) in _rooms)
        {
            memoryRoom.ForgetIfIdle();
        }
    }

    /// <summary>Lists a room held for its history alone as the freshest of them. Call under the room's lock.</summary>
    private void ListIdle(LinkedListNode<MemoryRoom> entry)
    {
        lock (_idle)
        {
            if (entry.List is not null)
            {
                _idle.Remove(entry);
            }

            _idle.AddLast(entry);
        }
    }

    private void Unlist(LinkedListNode<MemoryRoom> entry)
    {
        lock (_idle)
        {
            if (entry.List is not null)
            {
                _idle.Remove(entry);
            }
        }
    }

    private bool IsListed(LinkedListNode<MemoryRoom> entry)
    {
        lock (_idle)
        {
            return entry.List is not null;
        }
    }

    /// <summary>Forgets the longest idle histories past the limit. Takes their rooms' locks: never call it under a room's lock.</summary>
    private void ForgetIdleOverflow()
    {
        while (true)
        {
            MemoryRoom oldest;
            lock (_idle)
            {
                if (_idle.Count <= _maxIdle)
                {
                    return;
                }

                oldest = _idle.First!.Value;
                _idle.RemoveFirst();
            }

            oldest.ForgetIfStillUnlisted();
        }
    }

    private sealed class SubscriptionHandle(MemoryRoom memoryRoom, IRoomSubscriber subscriber) : IAsyncDisposable
    {
        public ValueTask DisposeAsync()
        {
            memoryRoom.Remove(subscriber);
            return ValueTask.CompletedTask;
        }
    }

    /// <summary>One room: its stream, its subscribers and the messages waiting for delivery.</summary>
    private sealed class MemoryRoom : IThreadPoolWorkItem
    {
        private readonly MemoryRoomBroker _broker;
        private readonly string _name;
        private readonly RoomStream _stream;
        private readonly Lock _lock = new();
        private readonly List<RoomPublication> _waiting = [];
        private readonly LinkedListNode<MemoryRoom> _idleEntry;
        private IRoomSubscriber[] _subscribers = [];
        private bool _delivering;
        private bool _retired;

        public MemoryRoom(MemoryRoomBroker broker, string name, RoomStream stream)
        {
            _broker = broker;
            _name = name;
            _stream = stream;
            _idleEntry = new LinkedListNode<MemoryRoom>(this);
        }

        /// <returns>The place the message got; null if the room was retired.</returns>
        public RoomPosition? TryPublish(RoomMessage message)
        {
            RoomPublication publication;
            var deliver = false;
            var idle = false;
            lock (_lock)
            {
                if (_retired)
                {
                    return null;
                }

                publication = _stream.Append(message);
                if (_subscribers.Length > 0)
                {
                    _waiting.Add(publication);
                    deliver = !_delivering;
                    _delivering = true;
                }
                else if (message.IsKept)
                {
                    // Nobody to deliver to (a backend's message to an empty room): the history is all it adds.
                    _broker.ListIdle(_idleEntry);
                    idle = true;
                }
            }

            if (deliver)
            {
                // Delivered on the thread pool, not on the publisher's thread: the publisher (a hub method, one
                // message at a time per sender) goes on to its next message while this batch fans out, so a busy
                // room's messages collect into the next batch, fanned out with one queue append per member.
                ThreadPool.UnsafeQueueUserWorkItem(this, preferLocal: false);
            }
            else if (idle)
            {
                _broker.ForgetIdleOverflow();
            }

            return publication.Position;
        }

        public bool TryAdd(IRoomSubscriber subscriber)
        {
            lock (_lock)
            {
                if (_retired)
                {
                    return false;
                }

                _subscribers = [.. _subscribers, subscriber];
                _broker.Unlist(_idleEntry);
                return true;
            }
        }

        /// <summary>The last subscriber out leaves the room forgotten, or held for its history alone.</summary>
        public void Remove(IRoomSubscriber subscriber)
        {
            lock (_lock)
            {
                _subscribers = CopyOnWriteArray.Without(_subscribers, subscriber);
                if (_subscribers.Length > 0 || _retired)
                {
                    return;
                }

                if (!_stream.HasHistory)
                {
                    RetireLocked();
                    return;
                }

                _broker.ListIdle(_idleEntry);
            }

            _broker.ForgetIdleOverflow();
        }

        public RoomHistory Read(RoomPosition since, int limit)
        {
            lock (_lock)
            {
                return _stream.Read(since, limit);
            }
        }

        /// <summary>Forgets the room if nobody is in it and its history expired.</summary>
        public void ForgetIfIdle()
        {
            lock (_lock)
            {
                if (!_retired && _subscribers.Length == 0 && !_stream.HasHistory)
                {
                    RetireLocked();
                }
            }
        }

        /// <summary>Forgets the room, dropped from the idle histories, unless it got a subscriber or was listed again since.</summary>
        public void ForgetIfStillUnlisted()
        {
            lock (_lock)
            {
                if (!_retired && _subscribers.Length == 0 && !_broker.IsListed(_idleEntry))
                {
                    RetireLocked();
                }
            }
        }

        /// <summary>Hands out waiting messages in batches until none are left; one deliverer at a time keeps offset order.</summary>
        public void Execute()
        {
            while (true)
            {
                RoomPublication[] batch;
                IRoomSubscriber[] subscribers;
                lock (_lock)
                {
                    if (_waiting.Count == 0)
                    {
                        _delivering = false;
                        return;
                    }

                    batch = [.. _waiting];
                    _waiting.Clear();
                    subscribers = _subscribers;
                }

                foreach (var subscriber in subscribers)
                {
                    try
                    {
                        subscriber.OnPublished(batch);
                    }
                    catch (Exception ex)
                    {
                        // A bug, reported; the room's other subscribers and later batches are still delivered.
                        RoomsLog.DeliveryFailed(_broker._logger, _name, ex);
                    }
                }
            }
        }

        /// <summary>
        /// Publishers and subscribers that find it retired go to the next room of the name. It has no subscriber:
        /// a delivery still running has nobody to hand its last batch to.
        /// </summary>
        private void RetireLocked()
        {
            _retired = true;
            _broker.Unlist(_idleEntry);
            _broker._rooms.TryRemove(new KeyValuePair<string, MemoryRoom>(_name, this));
        }
    }
}
