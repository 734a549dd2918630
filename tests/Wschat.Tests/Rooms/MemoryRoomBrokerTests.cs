using Microsoft.Extensions.Logging;
using Xunit.Abstractions;

namespace Wschat.Tests.Rooms;

/// <summary>The room broker of a single node.</summary>
public sealed class MemoryRoomBrokerTests(ITestOutputHelper output) : RoomBrokerSpecification(output)
{
    private protected override Task<RoomTestBackplane> CreateBackplaneAsync(ILoggerFactory logs) => Task.FromResult<RoomTestBackplane>(new MemoryTestBackplane());
}
