namespace Wschat.Tests.Rooms;

/// <summary>The room broker of a single node.</summary>
public sealed class MemoryRoomBrokerTests : RoomBrokerSpecification
{
    private protected override Task<RoomTestBackplane> CreateBackplaneAsync() => Task.FromResult<RoomTestBackplane>(new MemoryTestBackplane());
}
