using System.Text.Encodings.Web;
using System.Text.Json;
using Wschat.Contracts;

namespace Wschat.Client.Protocol;

internal static class ClientJson
{
    /// <summary>The contract's JSON settings; the server reads any valid JSON, so the relaxed encoder is enough.</summary>
    public static readonly JsonSerializerOptions Options = ContractSerializer.CreateOptions(JavaScriptEncoder.UnsafeRelaxedJsonEscaping);

    /// <summary>Raw wschat frames, written as the server writes its own.</summary>
    public static readonly WschatEnvelopeWriter Envelope = new(Options);
}
