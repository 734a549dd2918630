using System.Globalization;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.Options;
using Wschat.Hub.Hubs;
using Wschat.Hub.Rooms;

namespace Wschat.Hub.Api;

/// <summary>
/// Checks of API input against the limits the hub applies to clients; a failed one is an RFC 7807
/// validation problem naming the field.
/// </summary>
internal sealed class ApiInput(IOptionsMonitor<ChatLimitsOptions> limits)
{
    private ChatLimitsOptions Limits => limits.CurrentValue;

    public ValidationProblem? CheckRoom(string room) => ChatFields.IsValidRoom(room, Limits.MaxRoomNameLength)
        ? null
        : Invalid("room", $"must be 1 to {Limits.MaxRoomNameLength} characters, without control characters");

    public ValidationProblem? CheckText(string? text) => text is not null && ChatFields.IsValidText(text, Limits.MaxTextLength)
        ? null
        : Invalid("text", $"must be 1 to {Limits.MaxTextLength} characters");

    /// <summary>A sender field (username, avatar, ...): optional, at most a login field's length.</summary>
    public ValidationProblem? CheckField(string name, string? value) => value is null || ChatFields.IsValidLoginField(value, Limits.MaxLoginFieldLength)
        ? null
        : Invalid(name, $"must be at most {Limits.MaxLoginFieldLength} characters, without control characters");

    public static ValidationProblem? CheckUid(string text, out long uid) =>
        long.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out uid) && uid > 0 ? null : Invalid("uid", "must be a uid (a positive integer)");

    public static ValidationProblem? CheckOffset(string name, long offset) =>
        RoomPosition.IsValidOffset(offset) ? null : Invalid(name, "must be an offset: 0 or more");

    public static ValidationProblem? CheckRange(string name, long value, long min, long max) =>
        value >= min && value <= max ? null : Invalid(name, $"must be {min} to {max}");

    public static ValidationProblem Invalid(string field, string error) =>
        TypedResults.ValidationProblem(new Dictionary<string, string[]> { [field] = [error] });
}
