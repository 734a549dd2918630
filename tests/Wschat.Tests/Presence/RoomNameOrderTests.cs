using System.Text;
using Wschat.Hub.Presence;

namespace Wschat.Tests.Presence;

public sealed class RoomNameOrderTests
{
    // Code points from each range whose UTF-16 and UTF-8 orders could disagree: ASCII, CJK, U+E000-U+FFFF, beyond U+FFFF.
    private static readonly (int First, int Last)[] Ranges = [(0x20, 0x7E), (0x4E00, 0x4E10), (0xE000, 0xE002), (0xFF01, 0xFF05), (0xFFFD, 0xFFFF), (0x10000, 0x10002), (0x1F600, 0x1F604), (0x10FFFF, 0x10FFFF)];

    [Fact]
    public void Names_are_ordered_as_their_UTF8_bytes_are()
    {
        var random = new Random(20);
        for (var i = 0; i < 20_000; i++)
        {
            var (x, y) = (Name(random), Name(random));

            var expected = Math.Sign(Encoding.UTF8.GetBytes(x).AsSpan().SequenceCompareTo(Encoding.UTF8.GetBytes(y)));

            Assert.True(expected == Math.Sign(RoomNameOrder.Instance.Compare(x, y)), $"\"{x}\" against \"{y}\": expected {expected}");
        }
    }

    /// <summary>Up to 4 code points: short names share prefixes often, so every position gets compared.</summary>
    private static string Name(Random random)
    {
        var name = new StringBuilder();
        for (var length = random.Next(5); length > 0; length--)
        {
            var (first, last) = Ranges[random.Next(Ranges.Length)];
            name.Append(char.ConvertFromUtf32(random.Next(first, last + 1)));
        }

        return name.ToString();
    }
}
