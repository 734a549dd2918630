using System.Runtime.Serialization;
using System.Text.Json.Serialization;

namespace Wschat.Contracts;

/// <summary><c>join</c>: enter a room (leaving the current one).</summary>
[DataContract]
public sealed record JoinRequest
{
    [DataMember(Name = "room")] public required string Room { get; init; }
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
