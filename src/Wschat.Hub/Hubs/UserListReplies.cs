using System.Buffers;
using System.Globalization;
using System.Text.Json;
using Microsoft.AspNetCore.SignalR;
using Microsoft.Extensions.Options;
using Wschat.Contracts;
using Wschat.Hub.Presence;

namespace Wschat.Hub.Hubs;

/// <summary>
/// Builds <c>userlist</c> replies that fit <c>Wschat:Limits:MaxUserListBytes</c>: entries are taken in
/// order while the <c>users</c> array, as the JSON protocols write it, stays within the budget
/// (MessagePack writes the same entries in fewer bytes); <c>count</c> stays the room's total. Each reply
/// is for one caller: admins get full addresses, everyone else what <see cref="PeerAddresses"/> shows.
/// </summary>
internal sealed class UserListReplies(IOptions<JsonHubProtocolOptions> json, IOptionsMonitor<ChatLimitsOptions> limits, PeerAddresses peers)
{
    private readonly JsonSerializerOptions _payload = json.Value.PayloadSerializerOptions;

    public UserListMessage Create(LoggedInUsers users, bool fullAddresses)
    {
        var budget = limits.CurrentValue.MaxUserListBytes;
        var entries = new List<UserListEntry>(users.Users.Count);
        var written = new ArrayBufferWriter<byte>();
        using var writer = new Utf8JsonWriter(written, new JsonWriterOptions { Encoder = _payload.Encoder });
        writer.WriteStartArray();
        foreach (var user in users.Users)
        {
            var entry = Entry(user, fullAddresses ? user.Ip : peers.Show(user.Ip));
            JsonSerializer.Serialize(writer, entry, _payload);
            writer.Flush();

            // The array so far and its closing bracket.
            if (written.WrittenCount + 1 > budget)
            {
                break;
            }

            entries.Add(entry);
        }

        return new UserListMessage { Users = entries, Count = users.Count };
    }

    private static UserListEntry Entry(RoomMember user, string ip)
    {
        var login = user.Login!;
        return new UserListEntry
        {
            Uid = user.Uid.ToString(CultureInfo.InvariantCulture),
            Ip = ip,
            Time = login.Time.ToString(CultureInfo.InvariantCulture),
            Avatar = login.Avatar,
            UserId = login.UserId,
            UserInfo = login.UserInfo,
            Username = login.Username,
        };
    }
}
