using Wschat.RawAdapter;
using Wschat.Tests.Infrastructure;

namespace Wschat.Tests.Architecture;

/// <summary>
/// The server's libraries' namespaces depend on each other one way, read from the compiled assemblies
/// (<see cref="NamespaceDependencies"/>). The raw adapter's: its transport and protocol below its
/// diagnostics, every one of them above the outbound queues (a project of their own).
/// </summary>
public sealed class ServerNamespaceTests
{
    [Fact]
    public void The_raw_adapter_namespaces_form_no_cycle()
    {
        var uses = NamespaceDependencies.Of(typeof(WschatSignalRServerBuilderExtensions).Assembly);

        NamespaceDependencies.AssertNoCycle(uses);
        Assert.Contains("Wschat.RawAdapter.Transport", uses["Wschat.RawAdapter.Diagnostics"]);
    }
}
