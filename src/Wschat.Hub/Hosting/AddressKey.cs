using System.Net;
using System.Net.Sockets;
using Wschat.Hub.Hubs;

namespace Wschat.Hub.Hosting;

/// <summary>
/// What every per-address limit counts a client under. An IPv6 subscriber gets a whole /64 (often
/// more) and picks any address in it at will, so IPv6 addresses count by their /64; an IPv4 address
/// counts alone, and an IPv4-mapped IPv6 address (a dual-stack listener's IPv4 client) as that IPv4.
/// </summary>
internal static class AddressKey
{
    /// <summary>The prefix an IPv6 address is limited by: the smallest network a provider assigns.</summary>
    private const int IPv6PrefixLength = 64;

    /// <summary><c>203.0.113.7</c>, <c>2001:db8:1:2::/64</c>; empty for an unknown address.</summary>
    public static string Of(IPAddress? address) => address is { AddressFamily: AddressFamily.InterNetworkV6, IsIPv4MappedToIPv6: false }
        ? Network(address)
        : ChatSession.FormatAddress(address);

    private static string Network(IPAddress address)
    {
        Span<byte> bytes = stackalloc byte[16];
        address.TryWriteBytes(bytes, out _);
        bytes[(IPv6PrefixLength / 8)..].Clear();
        return $"{new IPAddress(bytes)}/{IPv6PrefixLength}";
    }
}
