using System.Runtime.Serialization;
using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Serialization.Metadata;

namespace Wschat.Contracts;

/// <summary>
/// JSON settings for the payload records. Field names come from <see cref="DataMemberAttribute"/>,
/// which MessagePack honours natively, so one attribute names a field on every protocol.
/// </summary>
public static class ContractSerializer
{
    /// <summary>Options for the payload records, writing text as UTF-8 through <paramref name="encoder"/>.</summary>
    public static JsonSerializerOptions CreateOptions(JavaScriptEncoder encoder) => new(JsonSerializerDefaults.General)
    {
        Encoder = encoder,
        RespectNullableAnnotations = true,
        RespectRequiredConstructorParameters = true,
        TypeInfoResolver = new DefaultJsonTypeInfoResolver { Modifiers = { UseDataMemberNames } },
    };

    private static void UseDataMemberNames(JsonTypeInfo typeInfo)
    {
        foreach (var property in typeInfo.Properties)
        {
            if (property.AttributeProvider?.GetCustomAttributes(typeof(DataMemberAttribute), inherit: true) is not [DataMemberAttribute member])
            {
                continue;
            }

            if (member.Name is { } name)
            {
                property.Name = name;
            }

            if (!member.EmitDefaultValue)
            {
                property.ShouldSerialize = static (_, value) => value is not null;
            }
        }
    }
}
