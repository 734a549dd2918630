using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Wschat.Hub.Hosting;
using Wschat.Hub.Hubs;
using Wschat.Outbound;

namespace Wschat.Tests.Outbound;

/// <summary>The queues' options come from their own section; the key operators set before it existed still counts.</summary>
public sealed class OutboundOptionsTests
{
    [Theory]
    [InlineData(new string[0], 1024 * 1024)]
    [InlineData(new[] { "Wschat:Outbound:MaxQueuedBytes=4000" }, 4000)]
    [InlineData(new[] { "Wschat:Limits:MaxQueuedBytes=8000" }, 8000)]
    [InlineData(new[] { "Wschat:Limits:MaxQueuedBytes=8000", "Wschat:Outbound:MaxQueuedBytes=4000" }, 4000)]
    public void MaxQueuedBytes_is_read_from_Wschat_Outbound_and_from_its_old_key_under_Wschat_Limits_the_new_key_winning(string[] settings, int expected)
    {
        var configuration = new ConfigurationBuilder().AddCommandLine([.. settings.Select(static setting => "--" + setting)]).Build();
        using var services = new ServiceCollection().AddWschat(configuration).BuildServiceProvider();

        Assert.Equal(expected, services.GetRequiredService<IOptions<OutboundOptions>>().Value.MaxQueuedBytes);
        Assert.Equal(expected / 4, services.GetRequiredService<IOptions<ChatLimitsOptions>>().Value.MaxUserListBytes);
    }
}
