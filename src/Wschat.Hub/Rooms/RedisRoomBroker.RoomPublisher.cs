using System.Diagnostics;

namespace Wschat.Hub.Rooms;

internal sealed partial class RedisRoomBroker
{
    // Messages one room may have waiting for Redis; past it new ones are dropped (Redis is far behind).
    private const int MaxWaitingMessages = 10_000;

    /// <summary>
    /// Sends one room's messages to Redis, one script at a time: what arrives while a script is out
    /// waits and goes as the next batch. Idle, it retires; the next message makes a new one.
    /// </summary>
    private sealed class RoomPublisher(RedisRoomBroker broker, string room)
    {
        private readonly Lock _lock = new();
        private readonly List<PendingMessage> _waiting = [];
        private bool _sending;
        private bool _retired;
        private bool _full;

        public bool TryAdd(PendingMessage message)
        {
            lock (_lock)
            {
                if (_retired)
                {
                    return false;
                }

                if (_waiting.Count >= MaxWaitingMessages)
                {
                    if (!_full)
                    {
                        _full = true;
                        RoomsLog.PublishBacklogFull(broker._logger, room, MaxWaitingMessages);
                    }

                    message.Numbered?.TrySetException(new RoomBacklogFullException(room));
                    return true;
                }

                _waiting.Add(message);
                if (_sending)
                {
                    return true;
                }

                _sending = true;
            }

            _ = SendWaitingAsync();
            return true;
        }

        private async Task SendWaitingAsync()
        {
            while (true)
            {
                PendingMessage[] batch;
                lock (_lock)
                {
                    if (_waiting.Count == 0)
                    {
                        (_sending, _retired, _full) = (false, true, false);
                        broker._publishers.TryRemove(new KeyValuePair<string, RoomPublisher>(room, this));
                        return;
                    }

                    var take = Math.Min(_waiting.Count, MaxBatchMessages);
                    batch = new PendingMessage[take];
                    _waiting.CopyTo(0, batch, 0, take);
                    _waiting.RemoveRange(0, take);
                }

                var startedAt = Stopwatch.GetTimestamp();
                await broker.SendAsync(room, batch);
                broker._metrics.RedisPublished(batch.Length, startedAt);
            }
        }
    }
}
