using System.Buffers;

namespace Wschat.Hub.Hubs;

/// <summary>What room names and login fields may hold.</summary>
internal static class ChatFields
{
    // Unicode control characters (C0, DEL, C1): invisible in a name, and JSON writes each C0 one as a
    // 6-byte \uXXXX escape, which made a 512-character field 3 KB in every event and userlist entry.
    private static readonly SearchValues<char> s_controlCharacters = SearchValues.Create(
        [.. Enumerable.Range(char.MinValue, 0xA0).Select(static c => (char)c).Where(char.IsControl)]);

    /// <summary>
    /// Without control characters, every character the hub writes takes at most 3 bytes in every protocol
    /// (UTF-8; a JSON quote or backslash escape is 2).
    /// </summary>
    public static bool HasControlCharacters(string value) => value.AsSpan().ContainsAny(s_controlCharacters);

    public static bool IsValidLoginField(string value, int maxLength) => value.Length <= maxLength && !HasControlCharacters(value);

    public static bool IsValidRoom(string room, int maxLength) => room.Length > 0 && room.Length <= maxLength && !HasControlCharacters(room);

    public static bool IsValidText(string text, int maxLength) => text.Length > 0 && text.Length <= maxLength;
}
