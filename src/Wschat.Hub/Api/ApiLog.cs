namespace Wschat.Hub.Api;

internal static partial class ApiLog
{
    [LoggerMessage(1201, LogLevel.Information, "API: uid {Uid} kicked from room {Room}.")]
    public static partial void Kicked(ILogger logger, long uid, string room);

    [LoggerMessage(1202, LogLevel.Information, "API: uid {Uid} muted in room {Room} until {Until}.")]
    public static partial void Muted(ILogger logger, long uid, string room, DateTimeOffset until);

    [LoggerMessage(1203, LogLevel.Information, "API: room {Room} silenced: {Silenced}.")]
    public static partial void Silenced(ILogger logger, string room, bool silenced);
}
