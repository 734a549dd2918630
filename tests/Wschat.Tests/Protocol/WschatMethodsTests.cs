using System.Reflection;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.SignalR;
using Wschat.Contracts;
using Wschat.Hub.Hubs;
using Wschat.Tests.Infrastructure;

namespace Wschat.Tests.Protocol;

/// <summary>
/// The SDK reads server messages by the contracts' table; the hub sends them through its typed client interface;
/// the browser pages' client (<c>Web/lib/wschat-client.js</c>) keeps a copy of the table and of the error codes it explains.
/// </summary>
public sealed class WschatMethodsTests
{
    private static readonly string BrowserClient = File.ReadAllText(Path.Combine(RepositoryPaths.Root, "src", "Wschat.Hub", "Web", "lib", "wschat-client.js"));

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

    [Fact]
    public void The_browser_client_listens_on_SignalR_to_every_message_type_the_server_sends()
    {
        var table = Regex.Match(BrowserClient, @"const SERVER_TYPES = \[(?<types>[^\]]*)\];");
        Assert.True(table.Success, "wschat-client.js declares const SERVER_TYPES = [...];");

        var listed = Regex.Matches(table.Groups["types"].Value, "\"(?<type>[^\"]+)\"").Select(static m => m.Groups["type"].Value);

        Assert.Equal(WschatMethods.ServerPayloadTypes.Keys.Order(StringComparer.Ordinal), listed.Order(StringComparer.Ordinal));
    }

    [Fact]
    public void The_browser_client_explains_only_error_codes_the_server_has()
    {
        var table = Regex.Match(BrowserClient, @"export const ERROR_HINTS = \{(?<hints>[^}]*)\};");
        Assert.True(table.Success, "wschat-client.js declares export const ERROR_HINTS = {...};");
        var codes = typeof(ErrorCodes).GetFields(BindingFlags.Public | BindingFlags.Static).Select(static field => (int)field.GetRawConstantValue()!);

        var explained = Regex.Matches(table.Groups["hints"].Value, @"^\s*(?<code>\d+):", RegexOptions.Multiline).Select(static m => int.Parse(m.Groups["code"].Value, System.Globalization.CultureInfo.InvariantCulture)).ToList();

        Assert.NotEmpty(explained);
        Assert.Subset(codes.ToHashSet(), explained.ToHashSet());
    }
}
