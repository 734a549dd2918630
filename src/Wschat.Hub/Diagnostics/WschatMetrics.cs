using System.Collections.Concurrent;
using System.Collections.Frozen;
using System.Diagnostics;
using System.Diagnostics.Metrics;
using System.Globalization;
using System.Reflection;
using System.Runtime.CompilerServices;
using Microsoft.AspNetCore.SignalR;
using Wschat.Contracts;
using Wschat.RawAdapter.Diagnostics;

namespace Wschat.Hub.Diagnostics;

/// <summary>
/// The node's instruments, on the one <see cref="WschatMeter"/>. Hot paths record per message or per
/// batch, never per recipient: a room's fan-out counts its deliveries once for the whole batch.
/// What goes up and down is kept here and observed at each scrape: an exporter that forgets an idle
/// series (prometheus-net does, after a day) then still reports the true value, not a restart from 0.
/// Every label comes from a closed set no client can grow: the hub's own methods, the server's error codes
/// (any other: <c>other</c>), the protocols and transports the node serves, hit or miss. Room names, uids,
/// addresses and what a client typed are never labels.
/// </summary>
internal sealed class WschatMetrics
{
    public const string ProtocolTag = "wschat.protocol";
    public const string MessageTypeTag = "wschat.message.type";
    public const string ErrorCodeTag = "wschat.error.code";
    public const string ResumeResultTag = "wschat.resume.result";

    /// <summary>The label of a value outside its closed set.</summary>
    private const string Other = "other";

    // The codes of ErrorCodes, each tag made once; codes added there are labelled at once.
    private static readonly FrozenDictionary<int, KeyValuePair<string, object?>> s_errorCodes = typeof(ErrorCodes)
        .GetFields(BindingFlags.Public | BindingFlags.Static)
        .Where(static field => field.IsLiteral && field.FieldType == typeof(int))
        .Select(static field => (int)field.GetRawConstantValue()!)
        .Distinct()
        .ToFrozenDictionary(static code => code, static code => new KeyValuePair<string, object?>(ErrorCodeTag, code.ToString(CultureInfo.InvariantCulture)));

    private static readonly KeyValuePair<string, object?> s_otherErrorCode = new(ErrorCodeTag, Other);

    private readonly Meter _meter;
    private readonly ConcurrentDictionary<(string Protocol, string Transport), StrongBox<long>> _connections = new();
    private long _rooms;
    private long _members;
    private readonly Counter<long> _messagesReceived;
    private readonly Counter<long> _deliveries;
    private readonly Counter<long> _errors;
    private readonly Counter<long> _rateLimited;
    private readonly Histogram<double> _broadcastDuration;
    private readonly Histogram<double> _redisPublishDuration;
    private readonly Histogram<int> _redisBatchSize;
    private readonly Counter<long> _resumes;
    private readonly Counter<long> _uidsAllocated;

    // The hub's methods are a fixed set (never the name a client sent): each one's tag is made once, lower-cased as on the wire.
    private readonly ConcurrentDictionary<MethodInfo, KeyValuePair<string, object?>> _messageTypes = new();

    public WschatMetrics(IMeterFactory meters)
    {
        _meter = WschatMeter.Create(meters);
        _meter.CreateObservableUpDownCounter("wschat.connections", ObserveConnections, "{connection}", "Open hub connections of this node, by protocol and transport.");
        _meter.CreateObservableUpDownCounter("wschat.rooms", () => Volatile.Read(ref _rooms), "{room}", "Rooms with members on this node.");
        _meter.CreateObservableUpDownCounter("wschat.room.members", () => Volatile.Read(ref _members), "{member}", "Room memberships of this node's connections.");
        _messagesReceived = _meter.CreateCounter<long>("wschat.messages.received", "{message}", "Messages from clients, by type (hub method), refused ones included.");
        _deliveries = _meter.CreateCounter<long>("wschat.messages.delivered", "{message}", "Messages handed to this node's connections (one per recipient).");
        _errors = _meter.CreateCounter<long>("wschat.errors", "{error}", "Error events sent to clients, by code.");
        _rateLimited = _meter.CreateCounter<long>("wschat.messages.rate_limited", "{message}", "Messages refused by the rate limit.");
        _broadcastDuration = _meter.CreateHistogram<double>("wschat.broadcast.duration", "s", "Time to hand one batch of a room's messages to this node's members.");
        _redisPublishDuration = _meter.CreateHistogram<double>("wschat.redis.publish.duration", "s", "Time for one batch of a room's messages to be stored and published in Redis.");
        _redisBatchSize = _meter.CreateHistogram<int>("wschat.redis.publish.batch_size", "{message}", "Messages per Redis publish of one room.");
        _resumes = _meter.CreateCounter<long>("wschat.history.resumes", "{resume}", "Resumes answered from history (hit) or with the latest messages (miss).");
        _uidsAllocated = _meter.CreateCounter<long>("wschat.uids.allocated", "{uid}", "Uids given to new connections.");
    }

    public void ConnectionOpened(HubConnectionContext connection) => Interlocked.Increment(ref ConnectionsOf(connection).Value);

    public void ConnectionClosed(HubConnectionContext connection) => Interlocked.Decrement(ref ConnectionsOf(connection).Value);

    public void RoomOpened() => Interlocked.Increment(ref _rooms);

    public void RoomClosed() => Interlocked.Decrement(ref _rooms);

    public void MemberJoined() => Interlocked.Increment(ref _members);

    public void MemberLeft() => Interlocked.Decrement(ref _members);

    /// <param name="hubMethod">The hub method invoked (<see cref="HubInvocationContext.HubMethod"/>).</param>
    public void MessageReceived(MethodInfo hubMethod) =>
        _messagesReceived.Add(1, _messageTypes.GetOrAdd(hubMethod, static method => new(MessageTypeTag, method.Name.ToLowerInvariant())));

    public void Delivered(int messages)
    {
        if (messages > 0)
        {
            _deliveries.Add(messages);
        }
    }

    public void ErrorSent(int code) => _errors.Add(1, s_errorCodes.GetValueOrDefault(code, s_otherErrorCode));

    public void RateLimited() => _rateLimited.Add(1);

    /// <param name="startedAt">From <see cref="Stopwatch.GetTimestamp"/>.</param>
    public void Broadcast(long startedAt) => _broadcastDuration.Record(Stopwatch.GetElapsedTime(startedAt).TotalSeconds);

    /// <param name="messages">The batch's size.</param>
    /// <param name="startedAt">From <see cref="Stopwatch.GetTimestamp"/>.</param>
    public void RedisPublished(int messages, long startedAt)
    {
        _redisBatchSize.Record(messages);
        _redisPublishDuration.Record(Stopwatch.GetElapsedTime(startedAt).TotalSeconds);
    }

    /// <summary>A resume answered: <paramref name="recovered"/> when history still held every missed message.</summary>
    public void Resumed(bool recovered) => _resumes.Add(1, new KeyValuePair<string, object?>(ResumeResultTag, recovered ? "hit" : "miss"));

    public void UidAllocated() => _uidsAllocated.Add(1);

    /// <summary>1 while Redis answers (commands and subscriptions), else 0; read at each scrape.</summary>
    public void ObserveRedis(Func<bool> isConnected) =>
        _meter.CreateObservableGauge("wschat.redis.connected", () => isConnected() ? 1 : 0, "{state}", "1 while this node reaches Redis, 0 while it does not.");

    private StrongBox<long> ConnectionsOf(HubConnectionContext connection) =>
        _connections.GetOrAdd((connection.Protocol.Name, WschatMeter.TransportOf(connection.Features)), static _ => new StrongBox<long>());

    private IEnumerable<Measurement<long>> ObserveConnections()
    {
        foreach (var ((protocol, transport), open) in _connections)
        {
            yield return new Measurement<long>(
                Volatile.Read(ref open.Value),
                new KeyValuePair<string, object?>(ProtocolTag, protocol),
                new KeyValuePair<string, object?>(WschatMeter.TransportTag, transport));
        }
    }
}
