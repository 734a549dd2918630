using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;
using Wschat.Hub.Rooms;
using Xunit.Abstractions;
using static Wschat.Tests.Rooms.RoomMessages;

namespace Wschat.Tests.Rooms;

/// <summary>The room broker of a single node.</summary>
public sealed class MemoryRoomBrokerTests(ITestOutputHelper output) : RoomBrokerSpecification(output)
{
    private protected override Task<RoomTestBackplane> CreateBackplaneAsync(ILoggerFactory logs) => Task.FromResult<RoomTestBackplane>(new MemoryTestBackplane());

    [Fact]
    public async Task Past_MaxRooms_rooms_held_for_their_history_alone_the_longest_idle_is_forgotten_first_and_a_room_with_subscribers_never()
    {
        using var broker = new MemoryRoomBroker(Options.Create(new RoomHistoryOptions()), Options.Create(new RoomLimitsOptions { MaxRooms = 2 }), new FakeTimeProvider(), NullLogger<MemoryRoomBroker>.Instance);
        var (busy, first, second, third) = (NewRoom(), NewRoom(), NewRoom(), NewRoom());
        var (subscriber, _) = await SubscribeAsync(broker, busy);
        broker.Publish(busy, Of("busy"));
        await subscriber.ReceiveAsync(1);

        broker.Publish(first, Of("first"));
        broker.Publish(second, Of("second"));
        broker.Publish(first, Of("first again"));
        broker.Publish(third, Of("third"));

        Assert.Equal(RoomPosition.Start, (await broker.ReadHistoryAsync(second, RoomPosition.Start, 10, None)).Last);
        Assert.Equal(["first", "first again"], (await broker.ReadHistoryAsync(first, RoomPosition.Start, 10, None)).Publications.Select(Text));
        Assert.Equal(["third"], (await broker.ReadHistoryAsync(third, RoomPosition.Start, 10, None)).Publications.Select(Text));
        Assert.Equal(["busy"], (await broker.ReadHistoryAsync(busy, RoomPosition.Start, 10, None)).Publications.Select(Text));
    }
}
