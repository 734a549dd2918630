using System.Buffers;
using System.Reflection;
using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.SignalR;
using Microsoft.AspNetCore.SignalR.Protocol;
using Microsoft.Extensions.Options;
using Wschat.Contracts;
using Wschat.Hub.Hubs;
using Wschat.RawAdapter.Protocol;

namespace Wschat.Tests.Protocol;

/// <summary>The wschat protocol with the app's payload settings, and inbound records as the transport frames them.</summary>
internal static class ProtocolHarness
{
    private static readonly JsonSerializerOptions s_payloadOptions = ContractSerializer.CreateOptions(Utf8PassthroughJavaScriptEncoder.Instance);

    public static readonly WschatHubProtocol WschatProtocol = new(Options.Create(new WschatProtocolOptions { PayloadSerializerOptions = s_payloadOptions }));

    /// <summary>A stand-in for SignalR's binder: the hub's own method table, read from <see cref="WschatHub"/>.</summary>
    public static readonly IInvocationBinder Binder = new MethodTable(typeof(WschatHub)
        .GetMethods(BindingFlags.Public | BindingFlags.Instance | BindingFlags.DeclaredOnly)
        .Where(static m => !m.IsSpecialName && m.GetBaseDefinition().DeclaringType == typeof(WschatHub))
        .ToDictionary(static m => m.GetCustomAttribute<HubMethodNameAttribute>()?.Name ?? m.Name, static m => m.GetParameters().Select(static p => p.ParameterType).ToArray(), StringComparer.OrdinalIgnoreCase));

    public static IReadOnlyCollection<string> HubMethods => ((MethodTable)Binder).Names;

    public static byte[] Record(WschatFrameKind kind, byte[] payload)
    {
        var record = new byte[WschatFrame.HeaderSize + payload.Length];
        WschatFrame.WriteHeader(record, kind, payload.Length);
        payload.CopyTo(record, WschatFrame.HeaderSize);
        return record;
    }

    public static byte[] Text(string frame) => Record(WschatFrameKind.Text, Encoding.UTF8.GetBytes(frame));

    /// <summary>Parses the record at the start of <paramref name="input"/>: a message, and exactly <paramref name="recordLength"/> bytes consumed.</summary>
    public static HubMessage ParseFirst(ReadOnlySequence<byte> input, long recordLength)
    {
        var before = input.Length;
        Assert.True(WschatProtocol.TryParseMessage(ref input, Binder, out var message), "a complete record gives a message");
        Assert.NotNull(message);
        Assert.Equal(before - recordLength, input.Length);
        return message;
    }

    public static HubMessage Parse(byte[] record) => ParseFirst(new ReadOnlySequence<byte>(record), record.Length);

    /// <summary>The text a raw client receives for <paramref name="message"/>: the payload of the one frame written, or "" when none is.</summary>
    public static string Write(HubMessage message)
    {
        var output = new ArrayBufferWriter<byte>();
        WschatProtocol.WriteMessage(message, output);
        if (output.WrittenCount == 0)
        {
            return "";
        }

        var frames = new ReadOnlySequence<byte>(output.WrittenMemory);
        Assert.True(WebSocketTextFrame.TryRead(ref frames, out var payload), "the output is a whole WebSocket text frame");
        Assert.True(frames.IsEmpty, "the output is exactly one frame");
        return Encoding.UTF8.GetString(payload);
    }

    /// <summary>What the hub would make of a parsed message: the invocation with its arguments as JSON, or for a refusal the error a raw client gets.</summary>
    public static string Describe(HubMessage message) => message switch
    {
        InvocationMessage { Target: WschatHubProtocol.RefusalMethod, Arguments: [int code, string reason] } => Write(new InvocationMessage(WschatMethods.Error, [new ErrorMessage { Code = code, Msg = reason }])),
        InvocationMessage invocation => $"{invocation.Target}({string.Join(",", invocation.Arguments.Select(static a => JsonSerializer.Serialize(a, s_payloadOptions)))})",
        _ => throw new Xunit.Sdk.XunitException($"unexpected {message.GetType().Name}"),
    };

    /// <summary>The same bytes as a sequence of one-to-several segments cut at <paramref name="cuts"/>, as a pipe may deliver them.</summary>
    public static ReadOnlySequence<byte> Segmented(byte[] bytes, IEnumerable<int> cuts)
    {
        var bounds = cuts.Select(c => Math.Clamp(c, 0, bytes.Length)).Append(0).Append(bytes.Length).Distinct().Order().ToArray();
        Segment? first = null;
        Segment? last = null;
        for (var i = 0; i + 1 < bounds.Length; i++)
        {
            var memory = bytes.AsMemory(bounds[i], bounds[i + 1] - bounds[i]);
            last = last is null ? first = new Segment(memory, 0) : last.Append(memory);
        }

        return first is null ? ReadOnlySequence<byte>.Empty : new ReadOnlySequence<byte>(first, 0, last!, last!.Memory.Length);
    }

    private sealed class Segment : ReadOnlySequenceSegment<byte>
    {
        public Segment(ReadOnlyMemory<byte> memory, long runningIndex)
        {
            Memory = memory;
            RunningIndex = runningIndex;
        }

        public Segment Append(ReadOnlyMemory<byte> memory)
        {
            var next = new Segment(memory, RunningIndex + Memory.Length);
            Next = next;
            return next;
        }
    }

    private sealed class MethodTable(Dictionary<string, Type[]> methods) : IInvocationBinder
    {
        public IReadOnlyCollection<string> Names => methods.Keys;

        public IReadOnlyList<Type> GetParameterTypes(string methodName) =>
            methods.TryGetValue(methodName, out var types) ? types : throw new HubException("Method does not exist.");

        public Type GetReturnType(string invocationId) => typeof(object);

        public Type GetStreamItemType(string streamId) => typeof(object);
    }
}
