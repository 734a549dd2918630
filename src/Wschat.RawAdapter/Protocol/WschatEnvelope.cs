using System.Text.Json;

namespace Wschat.RawAdapter.Protocol;

/// <summary>
/// Reads the <c>type</c> of a wschat JSON message and checks the frame holds exactly one JSON value
/// (<see cref="Wschat.Contracts.WschatEnvelopeWriter"/> writes them).
/// </summary>
internal static class WschatEnvelope
{
    /// <returns>The type, or null when the JSON is valid but not an object with a string <c>type</c>.</returns>
    /// <exception cref="JsonException">The frame is not exactly one well-formed JSON value.</exception>
    public static string? ReadType(ReadOnlySpan<byte> json)
    {
        var reader = new Utf8JsonReader(json);
        if (!reader.Read())
        {
            throw new JsonException("empty message");
        }

        string? type = null;
        if (reader.TokenType == JsonTokenType.StartObject)
        {
            while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
            {
                var isType = reader.ValueTextEquals("type"u8);
                reader.Read();
                if (isType && type is null && reader.TokenType == JsonTokenType.String)
                {
                    type = reader.GetString();
                }

                reader.Skip();
            }
        }
        else
        {
            reader.Skip();
        }

        // Trailing content after the value is malformed; Read throws on it.
        while (reader.Read())
        {
            throw new JsonException("more than one JSON value in a message");
        }

        return type;
    }
}
