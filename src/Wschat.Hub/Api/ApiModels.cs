using System.Text.Json.Nodes;

namespace Wschat.Hub.Api;

/// <summary><c>POST /api/rooms/{room}/messages</c>: a danmu or text, sent as if by a member with these fields.</summary>
internal sealed record RoomMessageRequest(string? Type, string? Text, string? Username, string? Avatar);

/// <summary>Where the room's stream put the message: its epoch and offset.</summary>
internal sealed record RoomMessageReply(string Room, string Epoch, long Offset);

/// <summary><c>POST /api/users/{uid}/messages</c>: a sendto, with the sender fields a logged-in member's sendto carries.</summary>
internal sealed record UserMessageRequest(string? Text, string? Username, string? Avatar, string? UserId, string? UserInfo);

internal sealed record RoomSummaryReply(string Room, int UsersCount, int LoginedCount);

/// <summary>A page of rooms; <see cref="NextCursor"/> is null on the last page.</summary>
internal sealed record RoomListReply(IReadOnlyList<RoomSummaryReply> Rooms, string? NextCursor);

/// <summary>A logged-in member; <see cref="Ip"/> is its address in full, whatever <c>Wschat:Privacy:PeerIp</c> shows members.</summary>
internal sealed record RoomUserReply(long Uid, string Username, string Avatar, string UserId, string UserInfo, long Time, string Ip);

/// <summary>A room's counts and its logged-in users (at most <c>Wschat:UserListLimit</c>).</summary>
internal sealed record RoomReply(string Room, int UsersCount, int LoginedCount, IReadOnlyList<RoomUserReply> Users);

/// <summary>
/// The room's retained messages after an offset: each as raw clients get it (<c>type</c> and the payload's
/// fields) with its <c>offset</c>; <see cref="Epoch"/> and <see cref="LastOffset"/> are the room's current ones.
/// </summary>
internal sealed record HistoryReply(string Room, string Epoch, long LastOffset, IReadOnlyList<JsonObject> Messages);

/// <summary><c>POST /api/rooms/{room}/mutes</c>: a uid, a verified login id, or both.</summary>
internal sealed record MuteRequest(long? Uid, string? UserId, int? Seconds);

/// <summary><see cref="UserId"/>: the verified login id the mute holds besides the uid (null: none), which a reconnect keeps.</summary>
internal sealed record MuteReply(string Room, long? Uid, string? UserId, DateTimeOffset Until);

/// <summary><c>POST /api/rooms/{room}/bans</c>: a verified login id, an address, or both.</summary>
internal sealed record BanRequest(string? UserId, string? Ip, int? Seconds);

/// <summary>A ban in force; <see cref="Ip"/> is the address block it holds: an IPv4 address, or an IPv6 /64 (<c>2001:db8:1:2::/64</c>).</summary>
internal sealed record BanReply(string Id, string Room, string? UserId, string? Ip, DateTimeOffset Until);

internal sealed record BanListReply(string Room, IReadOnlyList<BanReply> Bans);

/// <summary>A kick with <c>banSeconds</c>: the ban it made, null when the member had neither a verified login id nor an address.</summary>
internal sealed record KickReply(string Room, long Uid, BanReply? Ban);

internal sealed record SilenceRequest(bool? Silenced);

internal sealed record SilenceReply(string Room, bool Silenced);

/// <summary>The prohibited-word list as <c>setbadwords</c> takes it: <c>word=replacement</c> lines.</summary>
internal sealed record BadWordsDocument(string? Rules);

/// <summary>A node of the cluster as its lease shows it; <c>LeaseLeftMs</c> is null on a node without Redis.</summary>
internal sealed record NodeReply(string Node, bool ThisNode, long? LeaseLeftMs, bool Alive);

internal sealed record NodeListReply(IReadOnlyList<NodeReply> Nodes, bool RedisConnected);
