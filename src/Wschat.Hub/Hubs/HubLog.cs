namespace Wschat.Hub.Hubs;

internal static partial class HubLog
{
    [LoggerMessage(1, LogLevel.Debug, "Connection {ConnectionId} has uid {Uid} from {Ip}.")]
    public static partial void Connected(ILogger logger, string connectionId, long uid, string ip);

    [LoggerMessage(2, LogLevel.Debug, "Uid {Uid} joined room {Room}.")]
    public static partial void Joined(ILogger logger, long uid, string room);

    [LoggerMessage(3, LogLevel.Debug, "Uid {Uid} left room {Room}.")]
    public static partial void Left(ILogger logger, long uid, string room);

    [LoggerMessage(4, LogLevel.Debug, "Refused a message from uid {Uid}: {Code} {Reason}")]
    public static partial void Refused(ILogger logger, long uid, int code, string reason);

    [LoggerMessage(5, LogLevel.Warning, "Uid {Uid} tried an admin command without an admin token; further tries on this connection are refused without a word here.")]
    public static partial void Forbidden(ILogger logger, long uid);
}
