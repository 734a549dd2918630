using Microsoft.Extensions.Logging;
using Wschat.Hub.Moderation;
using Wschat.Tests.Infrastructure;

namespace Wschat.Tests.Moderation;

public sealed class WordFilterServiceTests
{
    private readonly RecordingLogger<WordFilterService> _logger = new();
    private readonly InMemoryBadWordStore _store = new("坏=好\r\n");

    /// <summary>A service started on <paramref name="store"/>, or on a store holding <c>坏=好</c>.</summary>
    private async Task<WordFilterService> StartedAsync(IBadWordStore? store = null)
    {
        var service = new WordFilterService(store ?? _store, _logger);
        await service.StartAsync(CancellationToken.None);
        return service;
    }

    [Fact]
    public async Task The_stored_list_applies_from_start()
    {
        using var service = await StartedAsync();

        Assert.Equal("好人", service.Filter("坏人"));
    }

    [Fact]
    public async Task A_corrupt_stored_list_is_reported_and_the_service_starts_with_no_words()
    {
        using var service = await StartedAsync(new InMemoryBadWordStore("坏=好\r\nno equals sign\r\n"));

        const string text = "坏人";
        Assert.Same(text, service.Filter(text));
        Assert.Contains(LogLevel.Warning, _logger.Levels);
    }

    [Fact]
    public async Task A_replaced_list_is_stored_and_applies_at_once()
    {
        using var service = await StartedAsync();

        await service.ReplaceAsync("禁词=好词\n", CancellationToken.None);

        Assert.Equal("禁词=好词\n", _store.Body);
        Assert.Equal("好词 坏", service.Filter("禁词 坏"));
    }

    [Fact]
    public async Task A_malformed_replacement_throws_and_leaves_the_previous_list_in_place_and_in_store()
    {
        using var service = await StartedAsync();

        await Assert.ThrowsAsync<FormatException>(() => service.ReplaceAsync("禁词=好词\nno equals sign\n", CancellationToken.None));

        Assert.Equal("坏=好\r\n", _store.Body);
        Assert.Equal("好 禁词", service.Filter("坏 禁词"));
    }

    [Fact]
    public async Task A_list_changed_on_another_node_is_reloaded()
    {
        using var service = await StartedAsync();

        _store.ChangeElsewhere("禁词=好词\n");

        await Eventually.GetAsync(() => Task.FromResult(service.Filter("禁词") == "好词" ? "reloaded" : null), TimeSpan.FromSeconds(5), "the reload");
        Assert.Equal("坏", service.Filter("坏"));
    }

    [Fact]
    public async Task After_concurrent_replacements_the_list_served_is_the_list_stored()
    {
        using var service = await StartedAsync();

        await Task.WhenAll(Enumerable.Range(0, 50).Select(i => Task.Run(() => service.ReplaceAsync($"词=好{i}\n", CancellationToken.None))));

        Assert.Equal(_store.Body, $"词={service.Filter("词")}\n");
    }
}
