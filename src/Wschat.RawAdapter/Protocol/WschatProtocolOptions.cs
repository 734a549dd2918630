using System.Text.Json;

namespace Wschat.RawAdapter.Protocol;

/// <summary>How the wschat protocol binds and writes payloads.</summary>
public sealed class WschatProtocolOptions
{
    /// <summary>
    /// Serializer options for payload objects, whose encoder also writes the text of each message;
    /// share them with the SignalR JSON protocol so both write the same field names and types.
    /// </summary>
    public JsonSerializerOptions PayloadSerializerOptions { get; set; } = new(JsonSerializerDefaults.Web)
    {
        Encoder = Utf8PassthroughJavaScriptEncoder.Instance,
    };
}
