namespace Wschat.RawAdapter.Protocol;

/// <summary>
/// Error codes the wschat protocol itself answers with (1xxx): the input could not be turned
/// into a hub invocation. The hub's own refusals use other ranges.
/// </summary>
public static class WschatErrorCodes
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
}
