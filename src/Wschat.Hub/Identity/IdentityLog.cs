namespace Wschat.Hub.Identity;

internal static partial class IdentityLog
{
    [LoggerMessage(1, LogLevel.Warning, "Could not lease the first uid block at start; connections get uids from this node's own range until Redis answers.")]
    public static partial void FirstBlockFailed(ILogger logger, Exception exception);

    [LoggerMessage(2, LogLevel.Warning, "The uid block ran dry while Redis is away: new connections get uids from this node's own range, tag {Tag}, until a block is leased again.")]
    public static partial void DrawingOnOwnRange(ILogger logger, string tag);
}
