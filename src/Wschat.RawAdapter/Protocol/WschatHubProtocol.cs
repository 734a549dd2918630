using System.Buffers;
using System.Collections.Concurrent;
using System.Diagnostics.CodeAnalysis;
using System.Globalization;
using System.Runtime.ExceptionServices;
using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.Connections;
using Microsoft.AspNetCore.SignalR;
using Microsoft.AspNetCore.SignalR.Protocol;
using Microsoft.Extensions.Options;

namespace Wschat.RawAdapter.Protocol;

/// <summary>
/// The legacy wschat JSON protocol as a SignalR hub protocol. One generic rule, no knowledge of
/// the hub's messages: <c>{"type":T,...fields}</c> invokes hub method T with the fields bound to
/// its single parameter; client method T with payload P is written as <c>{"type":T,...P}</c>.
/// A text frame <c>name:\r\nbody</c> invokes method <c>name</c> with <c>body</c> as its string argument.
/// </summary>
public sealed class WschatHubProtocol : IHubProtocol
{
    public const string ProtocolName = "wschat";

    // Raw invocations carry an id so the hub answers them with a completion: that is how
    // binding failures and hub faults reach a raw client as {"type":"error"}. Refusals made
    // here encode their code and reason in the id, which comes back on the completion.
    private const string InvocationId = "w";
    private const char RefusalMarker = '!';

    private static readonly JsonWriterOptions s_writerOptions = new()
    {
        Encoder = Utf8PassthroughJavaScriptEncoder.Instance,
        SkipValidation = true,
    };

    [ThreadStatic]
    private static PayloadScratch? t_scratch;

    private readonly JsonSerializerOptions _payloadOptions;
    private readonly ConcurrentDictionary<string, byte[]> _typePrefixes = new(StringComparer.Ordinal);

    public WschatHubProtocol(IOptions<WschatProtocolOptions> options)
    {
        _payloadOptions = options.Value.PayloadSerializerOptions;
    }

    public string Name => ProtocolName;

    public int Version => 1;

    public TransferFormat TransferFormat => TransferFormat.Text;

    public bool IsVersionSupported(int version) => version == Version;

    public bool TryParseMessage(ref ReadOnlySequence<byte> input, IInvocationBinder binder, [NotNullWhen(true)] out HubMessage? message)
    {
        if (!WschatFrame.TryRead(ref input, out var kind, out var payload))
        {
            message = null;
            return false;
        }

        message = kind switch
        {
            WschatFrameKind.Text => ParseText(payload, binder),
            WschatFrameKind.Binary => Refuse(WschatErrorCodes.BinaryFrame, "binary", "binary frames are not supported; send JSON text frames"),
            _ => Refuse(WschatErrorCodes.MessageTooLarge, "oversize", "message too large"),
        };
        return true;
    }

    /// <summary>Writes one WebSocket text frame holding the message's JSON, or nothing.</summary>
    public void WriteMessage(HubMessage message, IBufferWriter<byte> output)
    {
        var scratch = t_scratch ??= new PayloadScratch();
        var json = scratch.Message;
        json.ResetWrittenCount();
        switch (message)
        {
            case InvocationMessage invocation:
                WriteInvocation(invocation.Target, invocation.Arguments, json, scratch);
                break;
            case CompletionMessage { Error: { } error } completion:
                WriteError(completion.InvocationId, error, json);
                break;
            default:
                // Pings, closes and successful completions mean nothing to a raw client.
                return;
        }

        WebSocketTextFrame.Write(output, json.WrittenSpan);
    }

    public ReadOnlyMemory<byte> GetMessageBytes(HubMessage message)
    {
        var buffer = new ArrayBufferWriter<byte>(256);
        WriteMessage(message, buffer);
        return buffer.WrittenMemory;
    }

    private HubMessage ParseText(ReadOnlySequence<byte> payload, IInvocationBinder binder)
    {
        if (payload.IsSingleSegment)
        {
            return ParseText(payload.FirstSpan, binder);
        }

        var rented = ArrayPool<byte>.Shared.Rent((int)payload.Length);
        try
        {
            payload.CopyTo(rented);
            return ParseText(rented.AsSpan(0, (int)payload.Length), binder);
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(rented);
        }
    }

    private HubMessage ParseText(ReadOnlySpan<byte> payload, IInvocationBinder binder)
    {
        if (WschatCommandText.TryParse(payload, out var command, out var body))
        {
            return ResolveParameterTypes(command, binder) switch
            {
                null => RefuseUnknown(command),
                [var type] when type == typeof(string) => new InvocationMessage(InvocationId, command, [body]),
                _ => Refuse(WschatErrorCodes.InvalidFields, command, $"\"{command}\" takes a JSON object, not command text"),
            };
        }

        string? target;
        try
        {
            target = WschatEnvelope.ReadType(payload);
        }
        catch (Exception ex) when (ex is JsonException or InvalidOperationException)
        {
            // The reader throws InvalidOperationException for escapes it cannot decode, e.g. a lone "\ud800".
            return Refuse(WschatErrorCodes.MalformedJson, "malformed", "malformed JSON");
        }

        if (target is null)
        {
            return Refuse(WschatErrorCodes.NotAMessage, "invalid", "a message is a JSON object with a string \"type\"");
        }

        var types = ResolveParameterTypes(target, binder);
        if (types is null)
        {
            return RefuseUnknown(target);
        }

        try
        {
            object?[] arguments = types.Count switch
            {
                0 => [],
                1 => [JsonSerializer.Deserialize(payload, types[0], _payloadOptions)],
                _ => throw new JsonException("this type takes more than one argument"),
            };
            return new InvocationMessage(InvocationId, target, arguments);
        }
        catch (JsonException ex)
        {
            return RefuseFields(target, ex);
        }
        catch (InvalidOperationException)
        {
            return Refuse(WschatErrorCodes.InvalidFields, target, $"\"{target}\": a field holds text that is not valid UTF-16");
        }
    }

    private static IReadOnlyList<Type>? ResolveParameterTypes(string target, IInvocationBinder binder)
    {
        try
        {
            return binder.GetParameterTypes(target);
        }
        catch (HubException)
        {
            return null;
        }
    }

    /// <summary>Names the offending field from the JSON path, without the serializer's .NET type names.</summary>
    private static InvocationBindingFailureMessage RefuseFields(string target, JsonException exception) =>
        Refuse(WschatErrorCodes.InvalidFields, target, exception.Path is [ '$', '.', .. ] path
            ? $"\"{target}\": field \"{path[2..]}\" is missing, null or of the wrong JSON type"
            : $"\"{target}\": a required field is missing or the fields are not an object");

    private static InvocationBindingFailureMessage RefuseUnknown(string target) =>
        Refuse(WschatErrorCodes.UnknownType, target, $"unknown type \"{target}\"");

    private static InvocationBindingFailureMessage Refuse(int code, string target, string reason) =>
        new(
            string.Create(CultureInfo.InvariantCulture, $"{RefusalMarker}{code}:{reason}"),
            target,
            ExceptionDispatchInfo.Capture(new InvalidDataException(reason)));

    private void WriteInvocation(string target, object?[] arguments, IBufferWriter<byte> output, PayloadScratch scratch)
    {
        output.Write(_typePrefixes.GetOrAdd(target, static t => Encoding.UTF8.GetBytes(
            "{\"type\":" + JsonSerializer.Serialize(t, WschatEnvelope.StringOptions))));

        if (arguments.Length == 0)
        {
            output.Write("}"u8);
            return;
        }

        var json = arguments is [{ } payload]
            ? scratch.Serialize(payload, payload.GetType(), _payloadOptions)
            : ReadOnlySpan<byte>.Empty;

        if (json.Length >= 2 && json[0] == (byte)'{')
        {
            // Merge the payload's fields after "type": {"type":T,"a":1} from {"a":1}.
            if (json.Length > 2)
            {
                output.Write(","u8);
            }

            output.Write(json[1..]);
            return;
        }

        output.Write(",\"args\":"u8);
        output.Write(scratch.Serialize(arguments, typeof(object?[]), _payloadOptions));
        output.Write("}"u8);
    }

    private static void WriteError(string? invocationId, string error, IBufferWriter<byte> output)
    {
        var code = WschatErrorCodes.ServerError;
        var reason = error;
        if (invocationId is [RefusalMarker, ..] && invocationId.IndexOf(':', StringComparison.Ordinal) is > 1 and var colon
            && int.TryParse(invocationId.AsSpan(1, colon - 1), NumberStyles.None, CultureInfo.InvariantCulture, out var refusal))
        {
            code = refusal;
            reason = invocationId[(colon + 1)..];
        }

        using var writer = new Utf8JsonWriter(output, s_writerOptions);
        writer.WriteStartObject();
        writer.WriteString("type"u8, "error"u8);
        writer.WriteNumber("code"u8, code);
        writer.WriteString("msg"u8, reason);
        writer.WriteEndObject();
    }

    /// <summary>Per-thread buffers and writer, so writing a broadcast allocates nothing per message.</summary>
    [SuppressMessage("Design", "CA1001", Justification = "Thread-static; lives as long as its thread and holds no unmanaged resource.")]
    private sealed class PayloadScratch
    {
        private readonly ArrayBufferWriter<byte> _buffer = new(1024);

        /// <summary>The message's JSON, framed once it is complete (the frame header holds its length).</summary>
        public ArrayBufferWriter<byte> Message { get; } = new(1024);
        private readonly Utf8JsonWriter _writer;

        public PayloadScratch()
        {
            _writer = new Utf8JsonWriter(_buffer, s_writerOptions);
        }

        public ReadOnlySpan<byte> Serialize(object value, Type type, JsonSerializerOptions options)
        {
            _buffer.ResetWrittenCount();
            _writer.Reset(_buffer);
            JsonSerializer.Serialize(_writer, value, type, options);
            return _buffer.WrittenSpan;
        }
    }
}
