namespace Wschat.Hub.Api;

internal static partial class ApiLog
{
    [LoggerMessage(1201, LogLevel.Information, "API: uid {Uid} kicked from room {Room}.")]
    public static partial void Kicked(ILogger logger, long uid, string room);

    [LoggerMessage(1202, LogLevel.Information, "API: uid {Uid} / login id {UserId} muted in room {Room} until {Until}.")]
    public static partial void Muted(ILogger logger, long? uid, string? userId, string room, DateTimeOffset until);

    [LoggerMessage(1203, LogLevel.Information, "API: room {Room} silenced: {Silenced}.")]
    public static partial void Silenced(ILogger logger, string room, bool silenced);

    [LoggerMessage(1204, LogLevel.Information, "API: ban {Id} of login id {UserId} / address {Ip} from room {Room} until {Until}.")]
    public static partial void Banned(ILogger logger, string id, string? userId, string? ip, string room, DateTimeOffset until);

    [LoggerMessage(1205, LogLevel.Information, "API: ban {Id} of room {Room} lifted.")]
    public static partial void BanLifted(ILogger logger, string id, string room);
}
