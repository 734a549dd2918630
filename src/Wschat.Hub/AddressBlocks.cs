using System.Net;
using System.Net.Sockets;

namespace Wschat.Hub;

/// <summary>
/// Client addresses by the block one party holds: an IPv4 subscriber has one address, an IPv6 one is
/// usually given a whole /64 and may use any address in it. Whatever keys on "one client address"
/// (bans, per-address limits) keys on <see cref="Key(IPAddress?)"/>, so a /64 counts as one address.
/// </summary>
internal static class AddressBlocks
{
    public const int Ipv6SubscriberPrefixLength = 64;

    /// <summary>An IPv4 address as written; an IPv6 address's /64 as <c>2001:db8:1:2::/64</c>; "" for none.</summary>
    public static string Key(IPAddress? address) => Normalize(address) switch
    {
        null => "",
        { AddressFamily: AddressFamily.InterNetworkV6 } v6 => $"{Prefix(v6, Ipv6SubscriberPrefixLength)}/{Ipv6SubscriberPrefixLength}",
        var v4 => v4.ToString(),
    };

    /// <summary><see cref="Key(IPAddress?)"/> of an address as text; "" for text that is no address.</summary>
    public static string Key(string address) => IPAddress.TryParse(address, out var parsed) ? Key(parsed) : "";

    /// <summary>IPv4-mapped IPv6 addresses as plain IPv4: the same client either way.</summary>
    public static IPAddress? Normalize(IPAddress? address) => address is { IsIPv4MappedToIPv6: true } ? address.MapToIPv4() : address;

    /// <summary>The address with every bit past the first <paramref name="prefixLength"/> cleared.</summary>
    public static IPAddress Prefix(IPAddress address, int prefixLength)
    {
        var bytes = address.GetAddressBytes();
        for (var i = 0; i < bytes.Length; i++)
        {
            var keep = Math.Clamp(prefixLength - (i * 8), 0, 8);
            bytes[i] &= (byte)(0xFF << (8 - keep));
        }

        return new IPAddress(bytes);
    }
}
