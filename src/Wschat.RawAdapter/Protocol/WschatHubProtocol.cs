using System.Buffers;
using System.Diagnostics.CodeAnalysis;
using System.Text.Json;
using Microsoft.AspNetCore.Connections;
using Microsoft.AspNetCore.SignalR;
using Microsoft.AspNetCore.SignalR.Protocol;
using Microsoft.Extensions.Options;
using Wschat.Contracts;

namespace Wschat.RawAdapter.Protocol;

/// <summary>
/// The legacy wschat JSON protocol as a SignalR hub protocol. One generic rule, no knowledge of
/// the hub's messages: <c>{"type":T,...fields}</c> invokes hub method T with the fields bound to
/// its single parameter; client method T with payload P is written as <c>{"type":T,...P}</c>
/// (<see cref="WschatEnvelopeWriter"/>, which the SDK writes with too).
/// A text frame <c>name:\r\nbody</c> invokes method <c>name</c> with <c>body</c> as its string argument.
/// </summary>
public sealed class WschatHubProtocol : IHubProtocol
{
    public const string ProtocolName = "wschat";

    /// <summary>
    /// The hub method a refused frame invokes, with the error code and the reason as its two
    /// arguments: <c>[HubMethodName(RefusalMethod)] Task Refused(int code, string reason)</c>,
    /// which answers the sender with an error. A refusal is thus an invocation like any other and
    /// passes the hub's filters, so a rate limit counts malformed frames as it counts messages.
    /// Raw clients cannot name it themselves, and the hub answers it only for a raw connection
    /// (<see cref="Transport.RawConnections"/>): a SignalR client could name it, with any code.
    /// </summary>
    public const string RefusalMethod = "wschat:refused";

    // Raw invocations carry an id so the hub answers them with a completion: that is how
    // hub faults reach a raw client as {"type":"error"}.
    private const string InvocationId = "w";

    // The message's JSON, framed once it is complete (the frame header holds its length): per thread,
    // so writing a broadcast allocates nothing per message.
    [ThreadStatic]
    private static ArrayBufferWriter<byte>? t_message;

    private readonly JsonSerializerOptions _payloadOptions;
    private readonly WschatEnvelopeWriter _envelope;

    public WschatHubProtocol(IOptions<WschatProtocolOptions> options)
    {
        _payloadOptions = options.Value.PayloadSerializerOptions;
        _envelope = new WschatEnvelopeWriter(_payloadOptions);
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
            WschatFrameKind.Binary => Refuse(ErrorCodes.BinaryFrame, "binary frames are not supported; send JSON text frames"),
            _ => Refuse(ErrorCodes.MessageTooLarge, "message too large"),
        };
        return true;
    }

    /// <summary>Writes one WebSocket text frame holding the message's JSON, or nothing.</summary>
    public void WriteMessage(HubMessage message, IBufferWriter<byte> output)
    {
        var json = t_message ??= new ArrayBufferWriter<byte>(1024);
        json.ResetWrittenCount();
        switch (message)
        {
            case InvocationMessage invocation:
                _envelope.Write(json, invocation.Target, invocation.Arguments);
                break;
            case CompletionMessage { Error: { } error }:
                _envelope.Write(json, WschatMethods.Error, [new ErrorMessage { Code = ErrorCodes.ServerError, Msg = error }]);
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

    private InvocationMessage ParseText(ReadOnlySequence<byte> payload, IInvocationBinder binder)
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

    private InvocationMessage ParseText(ReadOnlySpan<byte> payload, IInvocationBinder binder)
    {
        if (WschatCommandText.TryParse(payload, out var command, out var body))
        {
            return ResolveParameterTypes(command, binder) switch
            {
                null => RefuseUnknown(command),
                [var type] when type == typeof(string) => new InvocationMessage(InvocationId, command, [body]),
                _ => Refuse(ErrorCodes.InvalidFields, $"\"{command}\" takes a JSON object, not command text"),
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
            return Refuse(ErrorCodes.MalformedJson, "malformed JSON");
        }

        if (target is null)
        {
            return Refuse(ErrorCodes.NotAMessage, "a message is a JSON object with a string \"type\"");
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
            return Refuse(ErrorCodes.InvalidFields, $"\"{target}\": a field holds text that is not valid UTF-16");
        }
    }

    private static IReadOnlyList<Type>? ResolveParameterTypes(string target, IInvocationBinder binder)
    {
        if (target.Equals(RefusalMethod, StringComparison.OrdinalIgnoreCase))
        {
            return null;
        }

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
    private static InvocationMessage RefuseFields(string target, JsonException exception) =>
        Refuse(ErrorCodes.InvalidFields, exception.Path is [ '$', '.', .. ] path
            ? $"\"{target}\": field \"{path[2..]}\" is missing, null or of the wrong JSON type"
            : $"\"{target}\": a required field is missing or the fields are not an object");

    private static InvocationMessage RefuseUnknown(string target) => Refuse(ErrorCodes.UnknownType, UnknownType(target));

    /// <summary>The reason given with <see cref="ErrorCodes.UnknownType"/> for <paramref name="target"/>.</summary>
    public static string UnknownType(string target) => $"unknown type \"{target}\"";

    private static InvocationMessage Refuse(int code, string reason) => new(InvocationId, RefusalMethod, [code, reason]);
}
