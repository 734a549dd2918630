using System.Globalization;
using System.Net;
using Microsoft.AspNetCore.SignalR;
using Wschat.Hub.Hosting;
using Wschat.Hub.Presence;

namespace Wschat.Hub.Hubs;

/// <summary>
/// A connection's chat state. Hub invocations of one connection run one at a time
/// (MaximumParallelInvocationsPerClient = 1), but the disconnect may run beside one: both hold
/// <see cref="Gate"/> (see <see cref="ConnectionCloseFilter"/>).
/// </summary>
internal sealed class ChatSession
{
    private static readonly object s_key = new();

    private readonly IPAddress? _address;
    private bool _adminRefused;
    private string? _addressBlock;

    private ChatSession(long uid, string uidText, IPAddress? address, PeerAddresses peers)
    {
        Uid = uid;
        UidText = uidText;
        Ip = FormatAddress(address);
        RoomIp = peers.Show(Ip);
        _address = address;
    }

    public long Uid { get; }

    /// <summary>The uid as legacy clients expect it in danmu, text and sendto: a string of digits.</summary>
    public string UidText { get; }

    /// <summary>The client's address in full: told to the connection itself, admins and the HTTP API.</summary>
    public string Ip { get; }

    /// <summary>The address as the other members see it in room events (<c>Wschat:Privacy:PeerIp</c>).</summary>
    public string RoomIp { get; }

    /// <summary>
    /// The address's block (<see cref="AddressBlocks.Key(IPAddress?)"/>): what address bans name and every
    /// per-address limit counts this connection under. Made when first asked: the per-address message limit
    /// is off by default, and an idle connection should not keep a second string.
    /// </summary>
    public string AddressBlock => _addressBlock ??= AddressBlocks.Key(_address);

    public string? Room { get; set; }

    public UserLogin? Login { get; set; }

    /// <summary>
    /// The login id the connection last proved with a verified token, or null: mutes and bans by login id
    /// hold it. Kept after logout: the person behind the connection is still known.
    /// </summary>
    public string? VerifiedLoginId { get; set; }

    public RoomMember AsMember => new(Uid, Ip, Login);

    /// <summary>Held by each hub invocation and by the disconnect.</summary>
    public SemaphoreSlim Gate { get; } = new(1, 1);

    /// <summary>Set by the disconnect under <see cref="Gate"/>: invocations after it do nothing.</summary>
    public bool IsClosed { get; set; }

    /// <summary>True the first time only: a refused admin command is worth one warning per connection, not one per try.</summary>
    public bool FirstAdminRefusal()
    {
        var first = !_adminRefused;
        _adminRefused = true;
        return first;
    }

    /// <summary>Creates the session of a new connection from the uid its user id provider assigned.</summary>
    public static ChatSession Start(HubCallerContext context, PeerAddresses peers)
    {
        var uidText = context.UserIdentifier ?? throw new InvalidOperationException("The connection has no uid.");
        var session = new ChatSession(long.Parse(uidText, CultureInfo.InvariantCulture), uidText, context.GetHttpContext()?.Connection.RemoteIpAddress, peers);
        context.Items[s_key] = session;
        return session;
    }

    public static ChatSession Of(HubCallerContext context) => (ChatSession)context.Items[s_key]!;

    /// <summary>IPv4-mapped IPv6 addresses are written as plain IPv4, as legacy clients expect.</summary>
    internal static string FormatAddress(IPAddress? address) => AddressBlocks.Normalize(address)?.ToString() ?? "";
}
