using System.Collections.Concurrent;
using Microsoft.Extensions.Options;

namespace Wschat.Hub.Rooms;

/// <summary>
/// The room broker of a single node: offsets, history and delivery in process. A publisher that
/// finds the room's delivery already queued or running leaves its message to that delivery, which
/// takes all waiting messages as one batch: a hot room fans out in batches, a quiet one message at a time.
/// </summary>
internal sealed class MemoryRoomBroker : IRoomBroker, IDisposable
{
    private readonly ConcurrentDictionary<string, MemoryRoom> _rooms = new(StringComparer.Ordinal);
    private readonly RoomHistoryOptions _options;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly ITimer _sweep;

    public MemoryRoomBroker(IOptions<RoomHistoryOptions> options, TimeProvider time, ILogger<MemoryRoomBroker> logger)
    {
        _options = options.Value;
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
            if (Room(room).TryPublish(message) is { } position)
            {
                return position;
            }

            // The room was forgotten (idle) just now: the next lookup makes a new one.
        }
    }

    public Task<IAsyncDisposable> SubscribeAsync(string room, IRoomSubscriber subscriber, CancellationToken cancellationToken)
    {
        while (true)
        {
            var memoryRoom = Room(room);
            if (memoryRoom.TryAdd(subscriber))
            {
                return Task.FromResult<IAsyncDisposable>(new Subscription(this, room, memoryRoom, subscriber));
            }
        }
    }

    public Task<RoomHistory> ReadHistoryAsync(string room, RoomPosition since, int limit, CancellationToken cancellationToken) =>
        Task.FromResult(Room(room).Read(since, limit));

    public void Dispose() => _sweep.Dispose();

    private MemoryRoom Room(string room) => _rooms.GetOrAdd(room, static (name, broker) => new MemoryRoom(name, new RoomStream(broker._options, broker._time), broker._logger), this);

    private void Sweep()
    {
        foreach (var (room, memoryRoom) in _rooms)
        {
            ForgetIfIdle(room, memoryRoom);
        }
    }

    /// <summary>Forgets a room nobody listens to once its history has expired.</summary>
    private void ForgetIfIdle(string room, MemoryRoom memoryRoom)
    {
        if (memoryRoom.TryRetireIfIdle())
        {
            _rooms.TryRemove(new KeyValuePair<string, MemoryRoom>(room, memoryRoom));
        }
    }

    private sealed class Subscription(MemoryRoomBroker broker, string room, MemoryRoom memoryRoom, IRoomSubscriber subscriber) : IAsyncDisposable
    {
        public ValueTask DisposeAsync()
        {
            memoryRoom.Remove(subscriber);
            broker.ForgetIfIdle(room, memoryRoom);
            return ValueTask.CompletedTask;
        }
    }

    /// <summary>One room: its stream, its subscribers and the messages waiting for delivery.</summary>
    private sealed class MemoryRoom(string name, RoomStream stream, ILogger logger) : IThreadPoolWorkItem
    {
        private readonly Lock _lock = new();
        private readonly List<RoomPublication> _waiting = [];
        private IRoomSubscriber[] _subscribers = [];
        private bool _delivering;
        private bool _retired;

        /// <returns>The place the message got; null if the room was retired.</returns>
        public RoomPosition? TryPublish(RoomMessage message)
        {
            RoomPublication publication;
            lock (_lock)
            {
                if (_retired)
                {
                    return null;
                }

                publication = stream.Append(message);
                _waiting.Add(publication);
                if (_delivering)
                {
                    return publication.Position;
                }

                _delivering = true;
            }

            // Delivered on the thread pool, not on the publisher's thread: the publisher (a hub method, one
            // message at a time per sender) goes on to its next message while this batch fans out, so a busy
            // room's messages collect into the next batch, fanned out with one queue append per member.
            ThreadPool.UnsafeQueueUserWorkItem(this, preferLocal: false);
            return publication.Position;
        }

        public bool TryAdd(IRoomSubscriber subscriber)
        {
            lock (_lock)
            {
                if (!_retired)
                {
                    _subscribers = [.. _subscribers, subscriber];
                }

                return !_retired;
            }
        }

        public void Remove(IRoomSubscriber subscriber)
        {
            lock (_lock)
            {
                _subscribers = CopyOnWriteArray.Without(_subscribers, subscriber);
            }
        }

        public RoomHistory Read(RoomPosition since, int limit)
        {
            lock (_lock)
            {
                return stream.Read(since, limit);
            }
        }

        public bool TryRetireIfIdle()
        {
            lock (_lock)
            {
                _retired = _subscribers.Length == 0 && !_delivering && stream.IsExpired;
                return _retired;
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
                        RoomsLog.DeliveryFailed(logger, name, ex);
                    }
                }
            }
        }
    }
}
