using System.ComponentModel.DataAnnotations;

namespace Wschat.Hub.Hubs;

/// <summary>What members are told of each other, from the <c>Wschat:Privacy</c> section.</summary>
internal sealed class PrivacyOptions
{
    public const string SectionName = "Wschat:Privacy";

    /// <summary>
    /// The <c>ip</c> of other connections in room events and <c>userlist</c>; <see cref="PeerIpMode.Full"/> is
    /// the legacy contract. A connection's own address (<c>setuserid</c>, <c>hello</c>) is always in full.
    /// </summary>
    [EnumDataType(typeof(PeerIpMode), ErrorMessage = "Wschat:Privacy:PeerIp must be full, masked or none.")]
    public PeerIpMode PeerIp { get; set; } = PeerIpMode.Full;
}

internal enum PeerIpMode
{
    /// <summary>The address as the server sees it.</summary>
    Full,

    /// <summary>The network, not the subscriber: IPv4 /24 (<c>a.b.c.0</c>), IPv6 /48 (<c>2001:db8:1::</c>).</summary>
    Masked,

    /// <summary>An empty string (the field stays, as legacy clients expect it).</summary>
    None,
}
