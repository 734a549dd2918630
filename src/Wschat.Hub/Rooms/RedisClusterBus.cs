using System.Text;
using StackExchange.Redis;
using Wschat.Hub.Identity;
using Wschat.Hub.Redis;

namespace Wschat.Hub.Rooms;

/// <summary>
/// What is not a room, between the nodes of a cluster: sends to uids, to connections and to everyone
/// travel on one channel per hub, which every node subscribes to once. The sender delivers to its own
/// connections first and serializes the message once per protocol; every other node hands those bytes to
/// the connections it holds, and a node skips its own sends when they come back. (SignalR's own Redis backplane subscribes a channel per user and
/// per connection, the users' one at a time under a process-wide lock: that held a Redis node to about
/// a hundred new connections a second, see docs/performance.md.)
/// </summary>
[System.Diagnostics.CodeAnalysis.SuppressMessage("Design", "CA1001", Justification = "The semaphore is only awaited, never its wait handle: there is nothing to dispose.")]
internal sealed class RedisClusterBus<THub> : IClusterBus<THub>
    where THub : Microsoft.AspNetCore.SignalR.Hub
{
    private readonly RedisConnection _redis;
    private readonly RoomMessageCodec _codec;
    private readonly byte[] _node;
    private readonly RedisChannel _channel = RedisChannel.Literal("hub:" + typeof(THub).FullName);
    private readonly ILogger _logger;

    // Subscribing takes turns: the first listener and a return of Redis may try at once.
    private readonly SemaphoreSlim _turn = new(1, 1);
    private Action<ClusterSend>? _deliver;
    private ChannelMessageQueue? _queue;

    public RedisClusterBus(RedisConnection redis, RedisRecovery recovery, RoomMessageCodec codec, NodeIdentity node, ILogger<RedisClusterBus<THub>> logger)
    {
        _redis = redis;
        _codec = codec;
        _node = Encoding.ASCII.GetBytes(node.Id);
        _logger = logger;
        recovery.OnRestored("cluster bus", _ => SubscribeAsync());
    }

    /// <summary>
    /// Other nodes' sends reach <paramref name="deliver"/> in channel order. Completes after the first try to
    /// subscribe, or at once while Redis is away (the subscription is made when it returns). A try that fails
    /// while Redis is up is retried in the background: connections wait for one try, not for a Redis that
    /// keeps refusing.
    /// </summary>
    public async Task ListenAsync(Action<ClusterSend> deliver)
    {
        _deliver = deliver;
        if (_redis.IsConnected && !await TrySubscribeAsync())
        {
            _ = _redis.RetryWhileUpAsync(TrySubscribeAsync);
        }
    }

    public void Publish(ClusterSend send)
    {
        _deliver?.Invoke(send);
        if (_redis.IsConnected)
        {
            _redis.Multiplexer.GetSubscriber().Publish(_channel, Encode(send), CommandFlags.FireAndForget);
        }
    }

    private async Task<bool> TrySubscribeAsync()
    {
        try
        {
            await SubscribeAsync();
            return true;
        }
        catch (Exception ex) when (ex is RedisException or TimeoutException)
        {
            RoomsLog.ClusterSubscribeFailed(_logger, ex);
            return false;
        }
    }

    private async Task SubscribeAsync()
    {
        if (_deliver is null)
        {
            return;
        }

        await _turn.WaitAsync();
        try
        {
            if (_queue is null)
            {
                var queue = await _redis.Multiplexer.GetSubscriber().SubscribeAsync(_channel);
                queue.OnMessage(OnMessage);
                _queue = queue;
            }
        }
        finally
        {
            _turn.Release();
        }
    }

    /// <summary>Layout: <c>node \n kind \n count \n (target \n)*</c> and the message as <see cref="RoomMessageCodec"/> writes it.</summary>
    private byte[] Encode(ClusterSend send)
    {
        var header = new StringBuilder()
            .Append(Encoding.ASCII.GetString(_node)).Append('\n')
            .Append((char)send.Kind).Append('\n')
            .Append(send.Targets.Count).Append('\n');
        foreach (var target in send.Targets)
        {
            header.Append(target).Append('\n');
        }

        var head = Encoding.UTF8.GetBytes(header.ToString());
        var body = _codec.Encode(send.Message);
        var bytes = new byte[head.Length + body.Length];
        head.CopyTo(bytes, 0);
        body.CopyTo(bytes, head.Length);
        return bytes;
    }

    /// <summary>Runs in channel order on the subscription's own loop; delivery only appends to outboxes.</summary>
    private void OnMessage(ChannelMessage message)
    {
        ReadOnlyMemory<byte> rest = (byte[])message.Message!;
        try
        {
            if (ChannelPayload.NextLine(ref rest).Span.SequenceEqual(_node))
            {
                return;
            }

            var kind = (ClusterSendKind)ChannelPayload.NextLine(ref rest).Span[0];
            var targets = new string[ChannelPayload.NextNumber(ref rest)];
            for (var i = 0; i < targets.Length; i++)
            {
                targets[i] = Encoding.UTF8.GetString(ChannelPayload.NextLine(ref rest).Span);
            }

            _deliver?.Invoke(new ClusterSend(kind, targets, _codec.Decode(rest)));
        }
        catch (Exception ex) when (ex is FormatException or ArgumentOutOfRangeException or IndexOutOfRangeException or OverflowException)
        {
            RoomsLog.MalformedClusterMessage(_logger, ex);
        }
    }
}
