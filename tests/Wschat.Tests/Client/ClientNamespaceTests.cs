using Wschat.Client;
using Wschat.Tests.Infrastructure;

namespace Wschat.Tests.Client;

/// <summary>
/// The SDK's namespaces depend on each other one way: the façade (<c>Wschat.Client</c>) on its parts,
/// never back. Read from the compiled assembly (<see cref="NamespaceDependencies"/>).
/// </summary>
public sealed class ClientNamespaceTests
{
    [Fact]
    public void The_SDK_namespaces_form_no_cycle()
    {
        var uses = NamespaceDependencies.Of(typeof(WschatClient).Assembly);

        NamespaceDependencies.AssertNoCycle(uses);
        Assert.Contains("Wschat.Client.Transport", uses["Wschat.Client"]);
    }
}
