using Wschat.Tests.Infrastructure;

namespace Wschat.Tests.Hosting;

/// <summary>A bad configuration value stops the server at start, with a message naming the key.</summary>
public sealed class ConfigurationValidationTests
{
    [Theory]
    [InlineData("Wschat:PresenceLeaseSeconds=0", "Wschat:PresenceLeaseSeconds")]
    [InlineData("Wschat:UserListLimit=-1", "Wschat:UserListLimit")]
    [InlineData("Wschat:RedisPrefix=", "Wschat:RedisPrefix")]
    [InlineData("Wschat:Redis=no-such-option=1", "Wschat:Redis")]
    [InlineData("Wschat:TrustedProxies:0=not-an-ip", "Wschat:TrustedProxies:0")]
    [InlineData("Wschat:TrustedNetworks:0=10.0.0.0/99", "Wschat:TrustedNetworks:0")]
    [InlineData("Wschat:AdminTokens:0= ", "Wschat:AdminTokens:0")]
    [InlineData("Wschat:ApiKeys:0= ", "Wschat:ApiKeys:0")]
    [InlineData("Wschat:Limits:MaxMessageBytes=0", "Wschat:Limits:MaxMessageBytes")]
    [InlineData("Wschat:Outbound:MaxQueuedBytes=0", "Wschat:Outbound:MaxQueuedBytes")]
    [InlineData("Wschat:Limits:MaxQueuedBytes=0", "Wschat:Limits:MaxQueuedBytes")]
    [InlineData("Wschat:Limits:MessagesPerSecond=0", "Wschat:Limits:MessagesPerSecond")]
    [InlineData("Wschat:Limits:MaxConnections=-1", "Wschat:Limits:MaxConnections")]
    [InlineData("Wschat:Limits:JoinBurst=0", "Wschat:Limits:JoinBurst")]
    [InlineData("Wschat:Limits:JoinsPerSecond=0", "Wschat:Limits:JoinsPerSecond")]
    [InlineData("Wschat:Limits:MaxRooms=0", "Wschat:Limits:MaxRooms")]
    [InlineData("Wschat:Limits:MaxTextLength=0", "Wschat:Limits:MaxTextLength")]
    [InlineData("Wschat:Limits:MaxUserListBytes=-1", "Wschat:Limits:MaxUserListBytes")]
    [InlineData("Wschat:Limits:MaxUserListBytes=524289", "Wschat:Limits:MaxUserListBytes")]
    [InlineData("Wschat:History:Size=-1", "Wschat:History:Size")]
    [InlineData("Wschat:History:TtlSeconds=0", "Wschat:History:TtlSeconds")]
    [InlineData("Wschat:Metrics:Port=0", "Wschat:Metrics:Port")]
    [InlineData("Wschat:Metrics:Port=65536", "Wschat:Metrics:Port")]
    [InlineData("Wschat:Privacy:PeerIp=partial", "Wschat:Privacy:PeerIp")]
    [InlineData("Wschat:Privacy:PeerIp=7", "Wschat:Privacy:PeerIp")]
    [InlineData("Wschat:Login:MaxTokenLifetimeSeconds=0", "Wschat:Login:MaxTokenLifetimeSeconds")]
    public async Task A_node_with_a_bad_value_does_not_start_and_says_which_key_is_wrong(string setting, string key)
    {
        var failure = await Assert.ThrowsAnyAsync<Exception>(() => HubNode.StartAsync(settings: setting));

        Assert.Contains(key, failure.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Every_bad_value_is_reported_at_once()
    {
        var failure = await Assert.ThrowsAnyAsync<Exception>(() => HubNode.StartAsync(settings: ["Wschat:PresenceLeaseSeconds=0", "Wschat:Limits:MessageBurst=0"]));

        Assert.Contains("Wschat:PresenceLeaseSeconds", failure.Message, StringComparison.Ordinal);
        Assert.Contains("Wschat:Limits:MessageBurst", failure.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_server_process_exits_with_an_error_naming_the_key_instead_of_failing_later()
    {
        await using var process = ChildProcess.Start(
            "dotnet",
            [Path.Combine(AppContext.BaseDirectory, "Wschat.Hub.dll"), "--urls", "http://127.0.0.1:0", "--Wschat:PresenceLeaseSeconds=0"],
            workingDirectory: TempDirectory.Create());

        await process.WaitForExitAsync(TimeSpan.FromSeconds(30));

        Assert.Equal(1, process.ExitCode);
        Assert.Contains("Wschat:PresenceLeaseSeconds must be from 1 to 86400", process.Output, StringComparison.Ordinal);
    }
}
