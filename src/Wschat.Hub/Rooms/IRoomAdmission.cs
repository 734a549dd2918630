namespace Wschat.Hub.Rooms;

/// <summary>What the hub asks before a join: whether this node may hold one more room (<see cref="RoomLimitsOptions.MaxRooms"/>).</summary>
internal interface IRoomAdmission
{
    /// <summary>False if a join to <paramref name="room"/> would be refused for the room limit: this node has members in no room of that name and in <see cref="RoomLimitsOptions.MaxRooms"/> others.</summary>
    bool CanEnter(string room);
}
