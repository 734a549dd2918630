using System.Buffers;
using System.Collections.Concurrent;
using System.Diagnostics.CodeAnalysis;
using System.Text.Encodings.Web;
using System.Text.Json;

namespace Wschat.Contracts;

/// <summary>
/// Writes a message of the raw wschat protocol by its one rule: type <c>T</c> with payload <c>P</c> is
/// <c>{"type":T,...P}</c>, P's fields after <c>type</c>. Without a payload it is <c>{"type":T}</c>; a
/// payload that is not a JSON object, or more than one, goes as <c>{"type":T,"args":[...]}</c>. The
/// server's protocol and the SDK's raw connection both write with it. Text is written by the payload
/// options' encoder, fields are named by them (<see cref="ContractSerializer"/>).
/// </summary>
public sealed class WschatEnvelopeWriter
{
    [ThreadStatic]
    private static PayloadScratch? t_scratch;

    private readonly JsonSerializerOptions _payloadOptions;
    private readonly JsonWriterOptions _writerOptions;

    // {"type":T for each T written: the server writes every room message, and its types are a handful.
    private readonly ConcurrentDictionary<string, byte[]> _typePrefixes = new(StringComparer.Ordinal);

    public WschatEnvelopeWriter(JsonSerializerOptions payloadOptions)
    {
        ArgumentNullException.ThrowIfNull(payloadOptions);
        _payloadOptions = payloadOptions;
        _writerOptions = new JsonWriterOptions { Encoder = payloadOptions.Encoder, SkipValidation = true };
    }

    /// <summary>Writes type <paramref name="type"/> with <paramref name="arguments"/>, its payload when there is one.</summary>
    public void Write(IBufferWriter<byte> output, string type, object?[] arguments)
    {
        ArgumentNullException.ThrowIfNull(output);
        ArgumentNullException.ThrowIfNull(arguments);
        output.Write(_typePrefixes.GetOrAdd(type, static (t, self) => self.TypePrefix(t), this));
        if (arguments.Length == 0)
        {
            output.Write("}"u8);
            return;
        }

        var scratch = Scratch();
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

    private byte[] TypePrefix(string type)
    {
        var prefix = new ArrayBufferWriter<byte>(32);
        using (var writer = new Utf8JsonWriter(prefix, _writerOptions))
        {
            writer.WriteStartObject();
            writer.WriteString("type"u8, type);
        }

        return prefix.WrittenSpan.ToArray();
    }

    /// <summary>
    /// This thread's buffer and writer, so a broadcast allocates nothing per message. A process writes
    /// with one encoder (the server's, or the SDK's); one that writes with two (a test hosting both) gets
    /// a new scratch each time the encoder changes: an allocation, never a wrong byte.
    /// </summary>
    private PayloadScratch Scratch() => t_scratch is { } scratch && scratch.Encoder == _writerOptions.Encoder
        ? scratch
        : t_scratch = new PayloadScratch(_writerOptions);

    [SuppressMessage("Design", "CA1001", Justification = "Thread-static; lives as long as its thread and holds no unmanaged resource.")]
    private sealed class PayloadScratch
    {
        private readonly ArrayBufferWriter<byte> _buffer = new(1024);
        private readonly Utf8JsonWriter _writer;

        public PayloadScratch(JsonWriterOptions options)
        {
            _writer = new Utf8JsonWriter(_buffer, options);
        }

        public JavaScriptEncoder? Encoder => _writer.Options.Encoder;

        public ReadOnlySpan<byte> Serialize(object value, Type type, JsonSerializerOptions payloadOptions)
        {
            _buffer.ResetWrittenCount();
            _writer.Reset(_buffer);
            JsonSerializer.Serialize(_writer, value, type, payloadOptions);
            return _buffer.WrittenSpan;
        }
    }
}
