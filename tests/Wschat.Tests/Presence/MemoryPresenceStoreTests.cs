using Wschat.Hub.Presence;
using Xunit.Abstractions;

namespace Wschat.Tests.Presence;

/// <summary>The presence of a single node.</summary>
public sealed class MemoryPresenceStoreTests(ITestOutputHelper output) : PresenceStoreSpecification(output)
{
    private readonly MemoryPresenceStore _store = new();

    private protected override Task<IPresenceStore> CreateNodeAsync() => Task.FromResult<IPresenceStore>(_store);
}
