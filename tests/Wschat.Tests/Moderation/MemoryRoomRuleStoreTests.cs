using Wschat.Hub.Moderation;
using Xunit.Abstractions;

namespace Wschat.Tests.Moderation;

/// <summary>The room rules of a single node.</summary>
public sealed class MemoryRoomRuleStoreTests(ITestOutputHelper output) : RoomRuleStoreSpecification(output)
{
    private IRoomRuleStore? _store;

    private protected override Task<IRoomRuleStore> CreateNodeAsync() => Task.FromResult(_store ??= new MemoryRoomRuleStore(Time));
}
