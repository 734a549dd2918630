using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Wschat.Hub.Moderation;
using Wschat.Hub.Storage;
using Wschat.Tests.Infrastructure;

namespace Wschat.Tests.Moderation;

public sealed class ModerationRegistrationTests
{
    private readonly string _contentRoot = TempDirectory.Create();

    private IHost Host()
    {
        var builder = Microsoft.Extensions.Hosting.Host.CreateEmptyApplicationBuilder(new() { ContentRootPath = _contentRoot });
        builder.Configuration.AddInMemoryCollection([new("Wschat:DataDirectory", "lists")]);
        builder.Services.AddWschatStorage(builder.Configuration).AddWschatModeration(builder.Configuration);
        return builder.Build();
    }

    [Fact]
    public async Task A_list_set_on_one_host_is_kept_in_the_configured_data_directory_and_loaded_by_the_next()
    {
        using (var first = Host())
        {
            await first.StartAsync();
            await first.Services.GetRequiredService<WordFilterService>().ReplaceAsync("禁词=好词\r\n", CancellationToken.None);
            await first.StopAsync();
        }

        Assert.True(File.Exists(Path.Combine(_contentRoot, "lists", "badwords.txt")));
        using var second = Host();
        await second.StartAsync();
        Assert.Equal("好词", second.Services.GetRequiredService<WordFilterService>().Filter("禁词"));
        await second.StopAsync();
    }
}
