namespace Wschat.Hub.Rooms;

/// <summary>Who a send that is not a room is for.</summary>
internal enum ClusterSendKind : byte
{
    /// <summary>Every connection but the message's excluded ones.</summary>
    All = (byte)'a',

    /// <summary>The connections of the given user ids (uids).</summary>
    Users = (byte)'u',

    /// <summary>The given connection ids.</summary>
    Connections = (byte)'c',

    /// <summary>Targets are a room and a user id: that user's connections in that room get the message, then are closed.</summary>
    Kick = (byte)'k',
}

/// <summary>A send that is not a room: the same on the node that makes it and on every node that hears it.</summary>
internal readonly record struct ClusterSend(ClusterSendKind Kind, IReadOnlyList<string> Targets, RoomMessage Message);
