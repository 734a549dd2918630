namespace Wschat.Hub.Rooms;

/// <summary>
/// Changes to arrays that readers hold without a lock (room members, subscribers): a change makes a
/// new array, so a delivery iterating the old one never sees it half done.
/// </summary>
internal static class CopyOnWriteArray
{
    /// <summary><paramref name="items"/> without <paramref name="item"/> (compared by reference); the same array if it is not there.</summary>
    public static T[] Without<T>(T[] items, T item)
        where T : class
    {
        var index = Array.IndexOf(items, item);
        return index < 0 ? items : [.. items.AsSpan(0, index), .. items.AsSpan(index + 1)];
    }
}
