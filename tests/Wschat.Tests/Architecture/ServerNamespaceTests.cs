using System.Reflection;
using Wschat.Tests.Infrastructure;

namespace Wschat.Tests.Architecture;

/// <summary>
/// The server's assemblies' namespaces depend on each other one way, read from the compiled assemblies
/// (<see cref="NamespaceDependencies"/>): in the hub, the concerns (rooms, presence, moderation, identity) above
/// the Redis connection, storage and diagnostics they use, the hub and the HTTP API above them all; in the raw
/// adapter, its transport and protocol below its diagnostics.
/// </summary>
public sealed class ServerNamespaceTests
{
    public static TheoryData<string> ServerAssemblies { get; } = ["Wschat.Hub", "Wschat.RawAdapter", "Wschat.Outbound", "Wschat.Contracts"];

    [Theory]
    [MemberData(nameof(ServerAssemblies))]
    public void The_namespaces_of_a_server_assembly_form_no_cycle(string assembly) =>
        NamespaceDependencies.AssertNoCycle(NamespaceDependencies.Of(Assembly.Load(assembly)));

    /// <summary>The reading finds the dependencies that are there: a test that found none would pass on anything.</summary>
    [Theory]
    [InlineData("Wschat.Hub", "Wschat.Hub.Hubs", "Wschat.Hub.Rooms")]
    [InlineData("Wschat.Hub", "Wschat.Hub.Rooms", "Wschat.Hub.Redis")]
    [InlineData("Wschat.RawAdapter", "Wschat.RawAdapter.Diagnostics", "Wschat.RawAdapter.Transport")]
    public void The_reading_sees_a_known_dependency(string assembly, string user, string used) =>
        Assert.Contains(used, NamespaceDependencies.Of(Assembly.Load(assembly))[user]);
}
