using StackExchange.Redis;
using Wschat.Hub.Redis;

namespace Wschat.Hub.Rooms;

internal sealed partial class RedisRoomBroker
{
    /// <summary>
    /// This node's subscription to one room's channel, held while the room has local subscribers.
    /// Once the last leaves, the channel retires (with the room's history numbered here while Redis
    /// was away) and the next subscriber makes a new one: a message still arriving on the old
    /// subscription finds nobody to deliver to.
    /// </summary>
    [System.Diagnostics.CodeAnalysis.SuppressMessage("Design", "CA1001", Justification = "The semaphore is only awaited, never its wait handle: there is nothing to dispose.")]
    private sealed class RoomChannel(RedisRoomBroker broker, string room)
    {
        private readonly Lock _lock = new();

        // Subscribing and unsubscribing take turns, and happen outside the lock.
        private readonly SemaphoreSlim _turn = new(1, 1);
        private IRoomSubscriber[] _subscribers = [];
        private ChannelMessageQueue? _queue;
        private bool _retired;

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

        /// <summary>
        /// Subscribes unless done or retired. A failure while Redis is up (a timeout on a loaded
        /// node) is retried until it succeeds; while Redis is away, it is done again when Redis returns.
        /// </summary>
        public Task EnsureSubscribedAsync() => broker._redis.RetryWhileUpAsync(TrySubscribeAsync);

        /// <returns>False if the subscription is still missing.</returns>
        private async Task<bool> TrySubscribeAsync()
        {
            await _turn.WaitAsync();
            try
            {
                if (_queue is not null || IsRetired)
                {
                    return true;
                }

                var queue = await broker._redis.Multiplexer.GetSubscriber().SubscribeAsync(Channel(room));
                queue.OnMessage(OnMessage);
                _queue = queue;
                return true;
            }
            catch (Exception ex) when (ex is RedisException or TimeoutException)
            {
                RoomsLog.SubscribeFailed(broker._logger, room, ex);
                return false;
            }
            finally
            {
                _turn.Release();
            }
        }

        public async Task RemoveAsync(IRoomSubscriber subscriber)
        {
            lock (_lock)
            {
                _subscribers = CopyOnWriteArray.Without(_subscribers, subscriber);
                if (_subscribers.Length > 0)
                {
                    return;
                }

                _retired = true;
            }

            broker._channels.TryRemove(new KeyValuePair<string, RoomChannel>(room, this));
            broker._localStreams.TryRemove(room, out _);
            await _turn.WaitAsync();
            try
            {
                if (_queue is { } queue)
                {
                    _queue = null;
                    await queue.UnsubscribeAsync();
                }
            }
            catch (Exception ex) when (ex is RedisException or TimeoutException)
            {
                RoomsLog.UnsubscribeFailed(broker._logger, room, ex);
            }
            finally
            {
                _turn.Release();
            }
        }

        public void Deliver(RoomPublication[] batch)
        {
            foreach (var subscriber in Volatile.Read(ref _subscribers))
            {
                subscriber.OnPublished(batch);
            }
        }

        private bool IsRetired
        {
            get
            {
                lock (_lock)
                {
                    return _retired;
                }
            }
        }

        /// <summary>Runs in channel order, one message at a time (the subscription's own loop): never waits for a socket.</summary>
        private void OnMessage(ChannelMessage message)
        {
            RoomPublication[] batch;
            try
            {
                batch = broker.Decode((byte[])message.Message!);
            }
            catch (Exception ex) when (ex is FormatException or ArgumentOutOfRangeException or IndexOutOfRangeException)
            {
                RoomsLog.MalformedChannelMessage(broker._logger, room, ex);
                return;
            }

            Deliver(batch);
        }
    }
}
