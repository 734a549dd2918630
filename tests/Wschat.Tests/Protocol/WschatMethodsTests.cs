using System.Reflection;
using Microsoft.AspNetCore.SignalR;
using Wschat.Contracts;
using Wschat.Hub.Hubs;

namespace Wschat.Tests.Protocol;

/// <summary>The SDK reads server messages by the contracts' table; the hub sends them through its typed client interface.</summary>
public sealed class WschatMethodsTests
{
    [Fact]
    public void The_hub_sends_every_client_method_with_the_payload_the_contracts_name()
    {
        var sent = typeof(IWschatClient).GetMethods().ToDictionary(
            static method => method.GetCustomAttribute<HubMethodNameAttribute>()!.Name,
            static method => Assert.Single(method.GetParameters()).ParameterType);

        Assert.Equal(
            WschatMethods.ServerPayloadTypes.OrderBy(static pair => pair.Key, StringComparer.Ordinal),
            sent.OrderBy(static pair => pair.Key, StringComparer.Ordinal));
    }
}
