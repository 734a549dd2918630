namespace Wschat.Hub.Identity;

internal static partial class IdentityLog
{
    [LoggerMessage(1, LogLevel.Warning, "Could not lease the first uid block at start; connections lease it once Redis answers.")]
    public static partial void FirstBlockFailed(ILogger logger, Exception exception);
}
