namespace Wschat.Hub.Backplane;

internal static partial class BackplaneLog
{
    [LoggerMessage(5, LogLevel.Debug, "A backplane operation failed while Redis is away.")]
    public static partial void OperationFailed(ILogger logger, Exception exception);

    [LoggerMessage(6, LogLevel.Information, "Re-registered {Count} connections with the backplane.")]
    public static partial void Resynced(ILogger logger, int count);
}
