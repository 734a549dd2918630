namespace Wschat.Hub.Moderation;

internal static partial class ModerationLog
{
    [LoggerMessage(1, LogLevel.Information, "Prohibited-word list replaced: {Count} words.")]
    public static partial void Replaced(ILogger logger, int count);

    [LoggerMessage(2, LogLevel.Information, "Prohibited-word list loaded: {Count} words.")]
    public static partial void Loaded(ILogger logger, int count);

    [LoggerMessage(3, LogLevel.Warning, "Could not load the prohibited-word list; keeping the current one.")]
    public static partial void LoadFailed(ILogger logger, Exception exception);

    [LoggerMessage(4, LogLevel.Warning, "The prohibited-word list could not reach Redis; this node keeps its own copy.")]
    public static partial void RedisFailed(ILogger logger, Exception exception);
}
