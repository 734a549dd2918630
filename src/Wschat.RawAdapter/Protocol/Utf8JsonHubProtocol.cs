using System.Buffers;
using System.Diagnostics.CodeAnalysis;
using System.Text.Json;
using Microsoft.AspNetCore.Connections;
using Microsoft.AspNetCore.SignalR;
using Microsoft.AspNetCore.SignalR.Protocol;
using Microsoft.Extensions.Options;

namespace Wschat.RawAdapter.Protocol;

/// <summary>
/// SignalR's "json" protocol, writing server-to-client invocations with text as UTF-8 (the
/// built-in writer escapes emoji as <c>\uXXXX</c> pairs whatever the payload options say).
/// Parsing and every other message are the built-in protocol's.
/// </summary>
public sealed class Utf8JsonHubProtocol(IOptions<JsonHubProtocolOptions> options) : IHubProtocol
{
    // SignalR's JSON protocol ends every message with this byte.
    private const byte RecordSeparator = 0x1E;

    private static readonly JsonWriterOptions s_writerOptions = new()
    {
        Encoder = Utf8PassthroughJavaScriptEncoder.Instance,
        SkipValidation = true,
    };

    private readonly JsonHubProtocol _inner = new(options);
    private readonly JsonSerializerOptions _payloadOptions = options.Value.PayloadSerializerOptions;

    public string Name => _inner.Name;

    public int Version => _inner.Version;

    public TransferFormat TransferFormat => _inner.TransferFormat;

    public bool IsVersionSupported(int version) => _inner.IsVersionSupported(version);

    public bool TryParseMessage(ref ReadOnlySequence<byte> input, IInvocationBinder binder, [NotNullWhen(true)] out HubMessage? message) =>
        _inner.TryParseMessage(ref input, binder, out message);

    public void WriteMessage(HubMessage message, IBufferWriter<byte> output)
    {
        // Plain client-method calls (everything the hub broadcasts); the rest has no user text.
        if (message is not InvocationMessage { InvocationId: null, StreamIds: null, Headers: null or { Count: 0 } } invocation)
        {
            _inner.WriteMessage(message, output);
            return;
        }

        using (var writer = new Utf8JsonWriter(output, s_writerOptions))
        {
            writer.WriteStartObject();
            writer.WriteNumber("type"u8, HubProtocolConstants.InvocationMessageType);
            writer.WriteString("target"u8, invocation.Target);
            writer.WriteStartArray("arguments"u8);
            foreach (var argument in invocation.Arguments)
            {
                JsonSerializer.Serialize(writer, argument, argument?.GetType() ?? typeof(object), _payloadOptions);
            }

            writer.WriteEndArray();
            writer.WriteEndObject();
        }

        output.Write([RecordSeparator]);
    }

    public ReadOnlyMemory<byte> GetMessageBytes(HubMessage message)
    {
        var buffer = new ArrayBufferWriter<byte>(256);
        WriteMessage(message, buffer);
        return buffer.WrittenMemory;
    }
}
