using Wschat.Contracts;

namespace Wschat.Hub.Hubs;

/// <summary>
/// The danmu, text and sendto payloads, with their text through the word filter: one builder for the
/// hub (the sender's session) and the HTTP API (a backend's sender fields).
/// </summary>
internal static class ChatPayloads
{
    /// <summary>The uid of messages a site's backend sends through the HTTP API: no connection has it.</summary>
    public const string ServerUid = "0";

    public static DanmuMessage Danmu(string filteredText, string uid, string? username, string? avatar) => new()
    {
        Text = filteredText,
        Uid = uid,
        Avatar = avatar ?? "",
        Username = username ?? "",
    };

    public static ChatMessage Chat(string filteredText, string uid, string? username, string? avatar, string? userId = null, string? userInfo = null) => new()
    {
        Text = filteredText,
        Uid = uid,
        UserId = userId,
        Avatar = avatar ?? "",
        Username = username ?? "",
        UserInfo = userInfo,
    };
}
