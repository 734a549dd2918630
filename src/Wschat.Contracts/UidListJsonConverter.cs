using System.Globalization;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace Wschat.Contracts;

/// <summary>Reads <c>touids</c> as legacy clients send it: <c>"1"</c>, <c>1</c>, or <c>["1", 2]</c>; writes an array of strings.</summary>
public sealed class UidListJsonConverter : JsonConverter<IReadOnlyList<string>>
{
    public override IReadOnlyList<string> Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
    {
        if (reader.TokenType != JsonTokenType.StartArray)
        {
            return [ReadUid(ref reader)];
        }

        var uids = new List<string>();
        while (reader.Read() && reader.TokenType != JsonTokenType.EndArray)
        {
            uids.Add(ReadUid(ref reader));
        }

        return uids;
    }

    public override void Write(Utf8JsonWriter writer, IReadOnlyList<string> value, JsonSerializerOptions options)
    {
        writer.WriteStartArray();
        foreach (var uid in value)
        {
            writer.WriteStringValue(uid);
        }

        writer.WriteEndArray();
    }

    private static string ReadUid(ref Utf8JsonReader reader) => reader.TokenType switch
    {
        JsonTokenType.String => reader.GetString()!,
        JsonTokenType.Number when reader.TryGetInt64(out var uid) => uid.ToString(CultureInfo.InvariantCulture),
        _ => throw new JsonException("touids must be a uid string or number, or an array of them"),
    };
}
