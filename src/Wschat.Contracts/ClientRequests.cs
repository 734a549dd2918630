using System.Runtime.Serialization;
using System.Text.Json.Serialization;

namespace Wschat.Contracts;

/// <summary><c>join</c>: enter a room (leaving the current one).</summary>
[DataContract]
public sealed record JoinRequest
{
    [DataMember(Name = "room")] public required string Room { get; init; }

    /// <summary>
    /// True: from now on an <c>offset</c> message precedes each message of the room to this connection,
    /// so the client can resume after a reconnect (see <see cref="HistoryRequest"/>). Legacy clients never set it.
    /// </summary>
    [DataMember(Name = "offsets")] public bool Offsets { get; init; }
}

/// <summary><c>danmu</c> and <c>text</c>: a message to the current room.</summary>
[DataContract]
public sealed record TextRequest
{
    [DataMember(Name = "text")] public required string Text { get; init; }
}

/// <summary><c>login</c>: attach a user profile to this connection.</summary>
[DataContract]
public sealed record LoginRequest
{
    [DataMember(Name = "uname")] public required string Uname { get; init; }

    [DataMember(Name = "avatar")] public string Avatar { get; init; } = "";

    [DataMember(Name = "loginid")] public string LoginId { get; init; } = "";

    [DataMember(Name = "info")] public string Info { get; init; } = "";

    /// <summary>
    /// A JWT from the site's backend, needed when the server verifies logins (<c>Wschat:Login</c>):
    /// its claims <c>uname</c>, <c>avatar</c> and <c>loginid</c> replace the fields above. Not sent when null.
    /// </summary>
    [DataMember(Name = "token", EmitDefaultValue = false)] public string? Token { get; init; }
}

/// <summary><c>sendto</c>: a private message to one or more uids.</summary>
[DataContract]
public sealed record SendToRequest
{
    [DataMember(Name = "text")] public required string Text { get; init; }

    /// <summary>Addressee uids; on the wire a string, a number, or an array of either.</summary>
    [DataMember(Name = "touids")]
    [JsonConverter(typeof(UidListJsonConverter))]
    public required IReadOnlyList<string> ToUids { get; init; }
}

/// <summary>
/// <c>history</c>: the current room's recent danmu and text. Without <see cref="Epoch"/>: the last
/// <see cref="Limit"/>. With <see cref="Epoch"/> and <see cref="Offset"/> (the last message the
/// client has): what came after it, if the room still holds all of it.
/// </summary>
[DataContract]
public sealed record HistoryRequest
{
    /// <summary>Most messages wanted; 0 or absent: as many as the room keeps.</summary>
    [DataMember(Name = "limit")] public int Limit { get; init; }

    /// <summary>The epoch of <see cref="Offset"/>; null or absent: no resume, just the last messages.</summary>
    [DataMember(Name = "epoch", EmitDefaultValue = false)] public string? Epoch { get; init; }

    /// <summary>The offset of the last room message the client has.</summary>
    [DataMember(Name = "offset")] public long Offset { get; init; }
}
