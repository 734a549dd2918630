namespace Wschat.Contracts;

/// <summary>
/// The <c>code</c> of every <c>error</c> message (the README's error table): 1xxx when the wschat
/// protocol could not turn the input into a hub invocation, 4xxx for the hub's own refusals.
/// </summary>
public static class ErrorCodes
{
    /// <summary>The frame is not valid JSON (nor a <c>name:\r\n</c> command).</summary>
    public const int MalformedJson = 1001;

    /// <summary>Valid JSON, but not an object with a string <c>type</c>.</summary>
    public const int NotAMessage = 1002;

    /// <summary>No hub method has the name given in <c>type</c>.</summary>
    public const int UnknownType = 1003;

    /// <summary>A field is missing, null or of the wrong JSON type.</summary>
    public const int InvalidFields = 1004;

    /// <summary>Binary WebSocket frames are not part of wschat.</summary>
    public const int BinaryFrame = 1005;

    /// <summary>The frame exceeds the configured maximum message size.</summary>
    public const int MessageTooLarge = 1006;

    /// <summary>The hub failed unexpectedly while handling the message.</summary>
    public const int ServerError = 1500;

    /// <summary>danmu or text sent outside a room.</summary>
    public const int NotInRoom = 4001;

    /// <summary>Empty text, or longer than the configured maximum.</summary>
    public const int InvalidText = 4002;

    /// <summary>An admin command from a connection without an admin token.</summary>
    public const int Forbidden = 4003;

    /// <summary>Empty room name, longer than the configured maximum, or holding a control character.</summary>
    public const int InvalidRoom = 4004;

    /// <summary>A setbadwords list with a malformed line; the list is unchanged.</summary>
    public const int InvalidRules = 4005;

    /// <summary>A login field longer than the configured maximum, or holding a control character.</summary>
    public const int InvalidLogin = 4006;

    /// <summary>sendto with no addressee, too many, or one that is not a uid.</summary>
    public const int InvalidAddressees = 4007;

    /// <summary>history with a negative offset (an offset is 0, before the first message, or a message's).</summary>
    public const int InvalidOffset = 4008;

    /// <summary>danmu or text from a uid muted in its room (HTTP API <c>POST /api/rooms/{room}/mutes</c>) until the mute ends.</summary>
    public const int Muted = 4030;

    /// <summary>danmu or text from a connection without an admin token in a silenced room (<c>PUT /api/rooms/{room}/silence</c>).</summary>
    public const int RoomSilenced = 4031;

    /// <summary>Removed from its room by the HTTP API (<c>DELETE /api/rooms/{room}/members/{uid}</c>); the connection is closed next.</summary>
    public const int Kicked = 4032;

    /// <summary>
    /// A join refused by a ban from the room (<c>POST /api/rooms/{room}/bans</c>, or a kick with <c>banSeconds</c>)
    /// on the connection's verified login id or address; also a login, in the room, with a banned login id,
    /// which takes the connection out of the room.
    /// </summary>
    public const int Banned = 4033;

    /// <summary>
    /// A join to a room the node has no members in while it has members in as many rooms as it may
    /// (<c>Wschat:Limits:MaxRooms</c>); the connection stays in its room. Existing rooms take joins as before.
    /// </summary>
    public const int RoomLimitReached = 4034;

    /// <summary>
    /// A login without a valid token while the server verifies logins: missing, forged, expired, valid
    /// for longer than the server accepts, or for another issuer or audience. The connection's login
    /// state is unchanged.
    /// </summary>
    public const int LoginRefused = 4040;

    /// <summary>
    /// The connection sends faster than its rate limit allows, or joins, switches rooms, logs in or out
    /// faster than its join limit allows; the message was dropped.
    /// </summary>
    public const int RateLimited = 4029;
}
