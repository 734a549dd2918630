using Microsoft.Extensions.Logging;
using Wschat.Hub.Moderation;
using Wschat.Tests.Infrastructure;
using Xunit.Abstractions;

namespace Wschat.Tests.Moderation;

/// <summary>The list of a cluster: in one Redis key, each node's file its cache, each node on its own connection to one real redis-server.</summary>
public sealed class RedisBadWordStoreTests(ITestOutputHelper output) : BadWordStoreSpecification(output)
{
    private readonly Dictionary<IBadWordStore, string> _contentRoots = [];

    private protected override bool OnRedis => true;

    private protected override Task<IBadWordStore> CreateNodeAsync() => StartAsync(TempDirectory.Create());

    private protected override Task<IBadWordStore> RestartAsync(IBadWordStore node) => StartAsync(_contentRoots[node]);

    private async Task<IBadWordStore> StartAsync(string contentRoot)
    {
        var node = await Redis.ConnectAsync();
        var store = new RedisBadWordStore(node.Connection, node.Recovery, FileStore(contentRoot), Logs.CreateLogger<RedisBadWordStore>());
        _contentRoots[store] = contentRoot;
        return store;
    }

    [Fact]
    public async Task A_save_through_one_node_raises_Changed_on_every_node_that_has_loaded_the_list()
    {
        var a = await CreateNodeAsync();
        var b = await CreateNodeAsync();
        await b.LoadAsync(None).DefaultTimeout();
        var changed = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        b.Changed += (_, _) => changed.TrySetResult();

        await a.SaveAsync("新=词\n", None).DefaultTimeout();

        await changed.Task.DefaultTimeout();
        Assert.Equal("新=词\n", await b.LoadAsync(None).DefaultTimeout());
    }

    [Fact]
    public async Task After_Redis_lost_its_data_a_node_that_had_the_list_gives_it_back_when_it_loads_and_every_node_loads_it()
    {
        var a = await CreateNodeAsync();
        await a.SaveAsync("坏=好\n", None).DefaultTimeout();

        await Redis.FlushAllAsync();

        Assert.Equal("坏=好\n", await a.LoadAsync(None).DefaultTimeout());
        Assert.Equal("坏=好\n", await (await CreateNodeAsync()).LoadAsync(None).DefaultTimeout());
    }

    [Fact]
    public async Task While_Redis_is_away_a_save_holds_on_its_node()
    {
        var a = await CreateNodeAsync();
        await a.SaveAsync("旧=的\n", None).DefaultTimeout();

        await Redis.Server.StopAsync();
        await a.SaveAsync("坏=好\n", None).DefaultTimeout();

        Assert.Equal("坏=好\n", await a.LoadAsync(None).DefaultTimeout());
    }
}
