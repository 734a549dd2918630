using System.Collections.Concurrent;
using System.Globalization;
using System.Text;
using Microsoft.Extensions.Options;
using StackExchange.Redis;
using Wschat.Hub.Diagnostics;
using Wschat.Hub.Identity;
using Wschat.Hub.Redis;

namespace Wschat.Hub.Rooms;

/// <summary>
/// The room broker of a cluster. A room's messages are published on its own channel by one script,
/// which numbers the kept ones (danmu, text) and appends them to the room's capped Redis stream (a
/// room that only sees joins and leaves has no key); every node with members in the
/// room subscribes to that channel while it has them, and delivers what arrives in channel order.
/// Messages published while the room's previous script is still out travel together as the next
/// batch: a quiet room's message goes at once, a hot room's coalesce by themselves.
/// While Redis is away, messages reach this node's subscribers only, numbered in a local epoch.
/// </summary>
internal sealed partial class RedisRoomBroker : IRoomBroker
{
    // A batch stays well below Redis' limits on arguments and on one message's size.
    private const int MaxBatchMessages = 256;

    private readonly RedisConnection _redis;
    private readonly RoomMessageCodec _codec;
    private readonly RoomHistoryOptions _history;
    private readonly TimeProvider _time;
    private readonly string _localEpochPrefix;
    private readonly WschatMetrics _metrics;
    private readonly ILogger _logger;
    private readonly ConcurrentDictionary<string, RoomChannel> _channels = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, RoomPublisher> _publishers = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, RoomStream> _localStreams = new(StringComparer.Ordinal);

    public RedisRoomBroker(RedisConnection redis, RedisRecovery recovery, RoomMessageCodec codec, IOptions<RoomHistoryOptions> history, TimeProvider time, NodeIdentity node, WschatMetrics metrics, ILogger<RedisRoomBroker> logger)
    {
        _redis = redis;
        _codec = codec;
        _history = history.Value;
        _time = time;
        _localEpochPrefix = "local-" + node.Id + "-";
        _metrics = metrics;
        _logger = logger;
        recovery.OnRestored("room channels", RejoinAsync);
    }

    public void Publish(string room, RoomMessage message) => Publish(room, new PendingMessage(message, null));

    public Task<RoomPosition> PublishAsync(string room, RoomMessage message)
    {
        var numbered = new TaskCompletionSource<RoomPosition>(TaskCreationOptions.RunContinuationsAsynchronously);
        Publish(room, new PendingMessage(message, numbered));
        return numbered.Task;
    }

    private void Publish(string room, PendingMessage message)
    {
        if (!_redis.IsConnected)
        {
            // Behind the room's messages still on their way to Redis (their failure delivers them here), not ahead.
            if (!_publishers.TryGetValue(room, out var sending) || !sending.TryAdd(message))
            {
                DeliverLocally(room, [message]);
            }

            return;
        }

        while (!_publishers.GetOrAdd(room, static (name, broker) => new RoomPublisher(broker, name), this).TryAdd(message))
        {
            // That publisher was just retired (idle): the next lookup makes a new one.
        }
    }

    public async Task<IAsyncDisposable> SubscribeAsync(string room, IRoomSubscriber subscriber, CancellationToken cancellationToken)
    {
        RoomChannel channel;
        do
        {
            channel = _channels.GetOrAdd(room, static (name, broker) => new RoomChannel(broker, name), this);
        }
        while (!channel.TryAdd(subscriber));

        await channel.EnsureSubscribedAsync();
        return new SubscriptionHandle(channel, subscriber);
    }

    public async Task<RoomHistory> ReadHistoryAsync(string room, RoomPosition since, int limit, CancellationToken cancellationToken)
    {
        if (!_redis.IsConnected)
        {
            return ReadLocally(room, since, limit);
        }

        var result = await _redis.Database.ScriptEvaluateAsync(
            RedisRoomScripts.Read,
            [StreamKey(room), MetaKey(room)],
            [since.Epoch, since.Offset, limit]);
        var parts = (RedisResult[])result!;
        var last = new RoomPosition((string)parts[0]!, (long)parts[1]);
        var entries = (RedisResult[])parts[2]!;
        var publications = new RoomPublication[entries.Length];
        for (var i = 0; i < entries.Length; i++)
        {
            var entry = (RedisResult[])entries[i]!;
            var id = (string)entry[0]!;
            var offset = long.Parse(id.AsSpan(0, id.IndexOf('-', StringComparison.Ordinal)), CultureInfo.InvariantCulture);
            var fields = (RedisResult[])entry[1]!;
            publications[i] = new RoomPublication(last with { Offset = offset }, _codec.Decode((byte[])fields[1]!));
        }

        return new RoomHistory(last, publications);
    }

    private RedisKey StreamKey(string room) => $"{_redis.KeyPrefix}{RedisRoomName.Of(room)}:stream";

    private RedisKey MetaKey(string room) => $"{_redis.KeyPrefix}{RedisRoomName.Of(room)}:meta";

    // Subscriptions get the connection's channel prefix added; the script publishes the whole name.
    private static RedisChannel Channel(string room) => RedisChannel.Literal(RedisRoomName.Of(room));

    private string ChannelName(string room) => _redis.KeyPrefix + RedisRoomName.Of(room);

    /// <summary>One script call for a batch; if Redis fails it, the batch is delivered on this node alone.</summary>
    private async Task SendAsync(string room, PendingMessage[] batch)
    {
        if (!_redis.IsConnected)
        {
            DeliverLocally(room, batch);
            return;
        }

        var arguments = new RedisValue[4 + batch.Length];
        arguments[0] = ChannelName(room);
        arguments[1] = _history.Size;
        arguments[2] = _history.TtlSeconds;
        var flags = new char[batch.Length];
        var kept = 0;
        for (var i = 0; i < batch.Length; i++)
        {
            kept += batch[i].Message.IsKept ? 1 : 0;
            flags[i] = batch[i].Message.IsKept ? '1' : '0';
            arguments[4 + i] = _codec.Encode(batch[i].Message);
        }

        arguments[3] = new string(flags);
        RedisResult[] last;
        try
        {
            last = (RedisResult[])(await _redis.Database.ScriptEvaluateAsync(RedisRoomScripts.Publish, [StreamKey(room), MetaKey(room)], arguments))!;
        }
        catch (Exception ex) when (ex is RedisException or TimeoutException)
        {
            RoomsLog.PublishFailed(_logger, room, ex);
            DeliverLocally(room, batch);
            return;
        }

        // The script numbered the batch's kept messages in order, ending at the offset it returns.
        var epoch = (string)last[0]!;
        var offset = (long)last[1] - kept;
        foreach (var message in batch)
        {
            offset += message.Message.IsKept ? 1 : 0;
            message.Numbered?.TrySetResult(new RoomPosition(epoch, offset));
        }
    }

    /// <summary>A channel message: <c>epoch \n (offset \n length \n bytes)*</c>, decoded without copying the bytes.</summary>
    private RoomPublication[] Decode(ReadOnlyMemory<byte> payload)
    {
        var rest = payload;
        var epoch = Encoding.UTF8.GetString(ChannelPayload.NextLine(ref rest).Span);
        var publications = new List<RoomPublication>();
        while (!rest.IsEmpty)
        {
            var offset = ChannelPayload.NextNumber(ref rest);
            var length = (int)ChannelPayload.NextNumber(ref rest);
            publications.Add(new RoomPublication(new RoomPosition(epoch, offset), _codec.Decode(rest[..length])));
            rest = rest[length..];
        }

        return [.. publications];
    }

    /// <summary>
    /// Numbers the messages in this node's own epoch and delivers them here. The room's local history is
    /// kept only while this node has members in it (see <see cref="RoomChannel"/>): nobody else can read it,
    /// and a room left during an outage must not be held until Redis returns.
    /// </summary>
    private void DeliverLocally(string room, PendingMessage[] messages)
    {
        var stream = _channels.ContainsKey(room)
            ? _localStreams.GetOrAdd(room, static (_, broker) => broker.LocalStream(), this)
            : LocalStream();
        RoomPublication[] batch;
        lock (stream)
        {
            batch = Array.ConvertAll(messages, m => stream.Append(m.Message));
        }

        for (var i = 0; i < messages.Length; i++)
        {
            messages[i].Numbered?.TrySetResult(batch[i].Position);
        }

        if (_channels.TryGetValue(room, out var channel))
        {
            channel.Deliver(batch);
        }
    }

    private RoomStream LocalStream() => new(_history, _time, _localEpochPrefix);

    private RoomHistory ReadLocally(string room, RoomPosition since, int limit)
    {
        if (!_localStreams.TryGetValue(room, out var stream))
        {
            return new RoomHistory(RoomPosition.Start, []);
        }

        lock (stream)
        {
            return stream.Read(since, limit);
        }
    }

    /// <summary>
    /// After an outage: the node-local streams are let go (history is Redis' again, and a room used only
    /// during the outage would otherwise be held forever), and channels whose subscription failed are subscribed.
    /// </summary>
    private async Task RejoinAsync(CancellationToken cancellationToken)
    {
        _localStreams.Clear();
        foreach (var channel in _channels.Values)
        {
            cancellationToken.ThrowIfCancellationRequested();
            await channel.EnsureSubscribedAsync();
        }
    }

    /// <summary>A message on its way to Redis, and who waits for the place it gets (the hub's own sends: nobody).</summary>
    private readonly record struct PendingMessage(RoomMessage Message, TaskCompletionSource<RoomPosition>? Numbered);

    private sealed class SubscriptionHandle(RoomChannel channel, IRoomSubscriber subscriber) : IAsyncDisposable
    {
        public ValueTask DisposeAsync() => new(channel.RemoveAsync(subscriber));
    }
}
