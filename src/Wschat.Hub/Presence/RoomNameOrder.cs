namespace Wschat.Hub.Presence;

/// <summary>
/// Room names in the order of their Unicode code points, which is the order of their UTF-8 bytes: the order
/// Redis keeps the room index in, so a single node lists rooms as a cluster does. Ordinal (UTF-16) order
/// differs between a name beyond U+FFFF (an emoji: a surrogate pair, U+D800-U+DFFF) and one in U+E000-U+FFFF
/// (full-width punctuation).
/// </summary>
internal sealed class RoomNameOrder : IComparer<string>
{
    public static RoomNameOrder Instance { get; } = new();

    public int Compare(string? x, string? y)
    {
        var left = x.AsSpan();
        var right = y.AsSpan();
        var common = left.CommonPrefixLength(right);
        return common == left.Length || common == right.Length
            ? left.Length.CompareTo(right.Length)
            : Rank(left[common]).CompareTo(Rank(right[common]));
    }

    // Surrogates move above U+E000-U+FFFF, as the code points they make are; every other unit keeps its order.
    private static int Rank(char unit) => unit >= '\uE000' ? unit - 0x800 : char.IsSurrogate(unit) ? unit + 0x2000 : unit;
}
