using System.Reflection;
using System.Runtime.Serialization;
using System.Text;
using FsCheck;
using FsCheck.Fluent;

namespace Wschat.Tests.Protocol;

/// <summary>
/// Generators of what a hostile or buggy client may put in a text frame: messages with a <c>type</c>
/// of every kind and fields of every JSON kind, deep nesting, invalid UTF-8, escapes that decode to
/// no text (a lone <c>\ud800</c>), command text, and all of these cut short or broken.
/// </summary>
internal static class WschatFrameGen
{
    private static readonly string[] CleanPieces =
    [
        "", "a", "videoroom_001", "中文", "测试发送弹幕", "😀", "禁词", " ", "1412956275248", "\\\"", "\\\\", "\\/", "\\n", "\\r\\n", "\\t", "\\u0000", "\\u001e",
        "\\u4e2d", "\\ud83d\\ude00", "\u2028", "\uFEFF", "<script>",
    ];

    /// <summary>What makes text undecodable: bytes that are not UTF-8, lone surrogate escapes, bad escapes, raw control characters.</summary>
    private static readonly byte[][] DirtyPieces =
    [
        [0x80], [0xBF], [0xC0, 0xAF], [0xC3], [0xE4, 0xB8], [0xED, 0xA0, 0x80], [0xED, 0xBF, 0xBF], [0xF4, 0x90, 0x80, 0x80], [0xF8, 0x88, 0x80, 0x80, 0x80], [0xFF], [0xFE, 0xFF],
        .. new[] { "\\ud800", "\\udc00", "\\ud800\\u0041", "\\udbff", "\\udfff\\ud800", "\\x", "\\u12", "\\", "\u001e", "\u0001", "\n" }.Select(Utf8),
    ];

    private static readonly string[] Scalars =
    [
        "null", "true", "false", "0", "-0", "1", "-1", "1.5", "1e400", "-1e-400", "9007199254740993", "18446744073709551616", "1412956275248",
    ];

    private static readonly string[] BrokenTokens = ["{", "[", "}", "]", ",", ":", "\"", "01", "+1", ".5", "NaN", "tru", "nul", "\"type\":", "//", "\u001e"];

    private static readonly string[] FieldNames = ["type", "Type", "room", "text", "touids", "uname", "avatar", "loginid", "info", "extra", "", "\\u0074ype", "\\ud800"];

    private static readonly string[] UnknownTypes = ["", "nope", "error", "setuserid", "event", "hello ", "ＨＥＬＬＯ", "onconnectedasync", "Dispose", "ToString", "\\u0000", "\\ud800"];

    private static readonly Gen<byte[]> CleanPiece = Gen.Elements(CleanPieces).Select(Utf8);

    private static readonly Gen<byte[]> AnyPiece = Gen.Frequency((4, CleanPiece), (1, Gen.Elements(DirtyPieces)));

    /// <summary>A JSON string literal; one in eight holds something that is not text.</summary>
    public static Gen<byte[]> StringLiteral { get; } =
        from pieces in Gen.Resize(Gen.Frequency((7, Gen.ArrayOf(CleanPiece)), (1, Gen.ArrayOf(AnyPiece))), 12)
        select Concat([Utf8("\""), .. pieces, Utf8("\"")]);

    /// <summary>A type name: a hub method in any casing, or a name no method has.</summary>
    public static Gen<string> TypeName { get; } = Gen.Frequency(
        (3, Gen.Elements(ProtocolHarness.HubMethods.ToArray()).SelectMany(static name => Gen.Elements(name, name.ToUpperInvariant(), name.ToLowerInvariant()))),
        (1, Gen.Elements(UnknownTypes)));

    /// <summary>Any JSON value, nested as deep as the size allows.</summary>
    public static Gen<byte[]> Value { get; } = Gen.Sized(ValueOfSize);

    /// <summary>
    /// An object with a <c>type</c> (usually a string, sometimes any value, sometimes twice) and fields:
    /// mostly those the method's request has, of any JSON kind, among others.
    /// </summary>
    public static Gen<byte[]> Message { get; } =
        from method in TypeName
        from type in Gen.Frequency((5, Gen.Constant(Utf8($"\"{method}\""))), (1, Value))
        from fields in Gen.Frequency((3, RequestFields(method)), (1, Several(Field(Gen.Elements(FieldNames), FieldValue))))
        from typeAt in Gen.Choose(0, 2)
        select Object([.. fields.Take(typeAt), Concat(Utf8("\"type\":"), type), .. fields.Skip(typeAt)]);

    /// <summary>A message whose fields (or the whole frame) are nested hundreds deep, and sometimes left unclosed.</summary>
    public static Gen<byte[]> DeepNesting { get; } =
        from depth in Gen.Frequency((1, Gen.Choose(1, 63)), (1, Gen.Choose(63, 66)), (2, Gen.Choose(67, 600)))
        from opener in Gen.Elements("[", "{\"a\":")
        from type in TypeName
        from closed in Gen.Frequency((4, Gen.Constant(true)), (1, Gen.Constant(false)))
        from atTop in Gen.Elements(true, false)
        let closer = opener == "[" ? "]" : "}"
        let nested = string.Concat(Enumerable.Repeat(opener, depth)) + "1" + string.Concat(Enumerable.Repeat(closer, closed ? depth : depth - 1))
        select Utf8(atTop ? nested : $"{{\"type\":\"{type}\",\"text\":{nested},\"room\":{nested}}}");

    /// <summary>The legacy <c>name:\r\nbody</c> form, with any name; one body in five is not UTF-8.</summary>
    public static Gen<byte[]> CommandText { get; } =
        from name in Gen.Frequency((5, TypeName), (1, Gen.Elements("setbadwords ", "set-badwords", "a:b", new string('x', 65))))
        from newline in Gen.Frequency((6, Gen.Elements("\r\n", "\n")), (1, Gen.Elements("", "\r", " ")))
        from body in Gen.Frequency((4, Gen.ArrayOf(Gen.Elements("禁词=好词\r\n", "ab=X\n", "😀=\r\n", "=", "\r\n", "{\"type\":\"hello\"}").Select(Utf8))), (1, Gen.ArrayOf(AnyPiece)))
        select Concat([Utf8(name + ":" + newline), .. body]);

    /// <summary>A message cut short, or with a stray token or byte somewhere.</summary>
    public static Gen<byte[]> Broken { get; } =
        from message in Message
        from at in Gen.Choose(0, message.Length)
        from insert in Gen.Frequency((3, Gen.Elements(BrokenTokens).Select(Utf8)), (1, Gen.Elements(DirtyPieces)))
        from cut in Gen.Elements(true, false)
        select cut ? message[..at] : Concat(message[..at], insert, message[at..]);

    /// <summary>Every kind of frame above.</summary>
    public static Gen<byte[]> AnyFrame { get; } = Gen.Frequency((6, Message), (1, Value), (1, DeepNesting), (2, CommandText), (2, Broken));

    private static Gen<byte[]> ValueOfSize(int size)
    {
        var scalar = Gen.OneOf(Gen.Elements(Scalars).Select(Utf8), StringLiteral);
        if (size <= 1)
        {
            return scalar;
        }

        var inner = Gen.Resize(Gen.Sized(ValueOfSize), size / 2);
        return Gen.OneOf(
            scalar,
            Several(inner).Select(static items => Concat([Utf8("["), .. Join(items), Utf8("]")])),
            Several(Field(Gen.Elements(FieldNames), inner)).Select(Object));
    }

    /// <summary>A few items: nesting, not breadth, is what the size buys.</summary>
    private static Gen<byte[][]> Several(Gen<byte[]> item) => Gen.Choose(0, 5).SelectMany(n => Gen.ArrayOf(item, n));

    private static Gen<byte[]> FieldValue => Gen.Frequency((4, StringLiteral), (1, Gen.Resize(Value, 6)));

    /// <summary>The request fields of <paramref name="method"/> (read from its parameter's data members), some left out, some extra.</summary>
    private static Gen<byte[][]> RequestFields(string method)
    {
        var names = ProtocolHarness.HubMethods.Contains(method, StringComparer.OrdinalIgnoreCase) && ProtocolHarness.Binder.GetParameterTypes(method) is [var request]
            ? request.GetProperties().Select(static p => p.GetCustomAttribute<DataMemberAttribute>()?.Name).OfType<string>().ToArray()
            : [];
        return from present in Gen.Frequency((3, Gen.Constant(names)), (1, Gen.SubListOf(names).Select(static l => l.ToArray())))
               from fields in Gen.CollectToArray(present, n => Field(Gen.Constant(n), FieldValue))
               from extra in Gen.Frequency((3, Gen.Constant(Array.Empty<byte[]>())), (1, Several(Field(Gen.Elements(FieldNames), FieldValue))))
               select (byte[][])[.. fields, .. extra];
    }

    private static Gen<byte[]> Field(Gen<string> names, Gen<byte[]> value) =>
        from name in names
        from v in value
        select Concat(Utf8($"\"{name}\":"), v);

    private static byte[] Object(byte[][] fields) => Concat([Utf8("{"), .. Join(fields), Utf8("}")]);

    private static IEnumerable<byte[]> Join(byte[][] items) => items.SelectMany(static (item, i) => i == 0 ? new[] { item } : new[] { Utf8(","), item });

    private static byte[] Utf8(string text) => Encoding.UTF8.GetBytes(text);

    private static byte[] Concat(params byte[][] parts) => parts.SelectMany(static p => p).ToArray();
}
