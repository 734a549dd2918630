using System.Net;
using System.Net.Sockets;
using Microsoft.Extensions.Options;

namespace Wschat.Hub.Hubs;

/// <summary>
/// A connection's address as the other members see it (<c>Wschat:Privacy:PeerIp</c>). Room events are
/// serialized once for the whole room, so they carry this form for every member, admins included;
/// admins get full addresses from <c>userlist</c> (answered per caller) and the HTTP API (from presence,
/// which keeps them in full).
/// </summary>
internal sealed class PeerAddresses(IOptions<PrivacyOptions> options)
{
    private const int Ipv4MaskedPrefixLength = 24;
    private const int Ipv6MaskedPrefixLength = 48;

    private readonly PeerIpMode _mode = options.Value.PeerIp;

    /// <param name="ip">The address as <see cref="ChatSession.Ip"/> writes it.</param>
    public string Show(string ip) => _mode switch
    {
        PeerIpMode.Full => ip,
        PeerIpMode.Masked when IPAddress.TryParse(ip, out var address) => AddressBlocks.Prefix(
            address,
            address.AddressFamily == AddressFamily.InterNetwork ? Ipv4MaskedPrefixLength : Ipv6MaskedPrefixLength).ToString(),
        _ => "",
    };
}
