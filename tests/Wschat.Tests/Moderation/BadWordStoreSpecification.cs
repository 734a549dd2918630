using Microsoft.Extensions.Options;
using Wschat.Hub.Moderation;
using Wschat.Hub.Storage;
using Wschat.Tests.Infrastructure;
using Xunit.Abstractions;

namespace Wschat.Tests.Moderation;

/// <summary>
/// What every <see cref="IBadWordStore"/> does: the list saved through one node is what every node loads,
/// byte for byte, and a restart keeps it. Two nodes are two stores of one cluster (a single node's are stores
/// on its one data directory); <see cref="IBadWordStore.Changed"/> is a cluster's only (a single node has no
/// other writer), so the Redis tests check it.
/// </summary>
public abstract class BadWordStoreSpecification(ITestOutputHelper output) : BackendSpecification(output)
{
    // Both line ends, an emoji, a deletion (nothing after '='), and a last line without an end.
    private const string List = "禁词1=好词1\r\n😀=[笑]\n删除1=\r\nbad=good";

    /// <summary>A new node of the test's cluster.</summary>
    private protected abstract Task<IBadWordStore> CreateNodeAsync();

    /// <summary><paramref name="node"/> started again: on its data directory (and in a cluster, the same Redis).</summary>
    private protected abstract Task<IBadWordStore> RestartAsync(IBadWordStore node);

    /// <summary>A file store on <paramref name="contentRoot"/>'s data directory, as a node makes it.</summary>
    private protected static FileBadWordStore FileStore(string contentRoot, string dataDirectory = "data") =>
        new(Options.Create(new DataDirectoryOptions { DataDirectory = dataDirectory }), new ContentRoot(contentRoot));

    private async Task<(IBadWordStore A, IBadWordStore B)> TwoNodesAsync() => (await CreateNodeAsync(), await CreateNodeAsync());

    private static async Task<string[]> LoadAllAsync(params IBadWordStore[] nodes)
    {
        var lists = new string[nodes.Length];
        for (var i = 0; i < nodes.Length; i++)
        {
            lists[i] = await nodes[i].LoadAsync(None).DefaultTimeout();
        }

        return lists;
    }

    [Fact]
    public async Task Nothing_saved_loads_as_an_empty_list_on_every_node()
    {
        var (a, b) = await TwoNodesAsync();

        Assert.Equal(["", ""], await LoadAllAsync(a, b));
    }

    [Fact]
    public async Task A_saved_list_loads_back_exactly_on_every_node()
    {
        var (a, b) = await TwoNodesAsync();

        await a.SaveAsync(List, None).DefaultTimeout();

        Assert.Equal([List, List], await LoadAllAsync(a, b));
    }

    [Fact]
    public async Task A_save_through_any_node_replaces_the_list_for_every_node()
    {
        var (a, b) = await TwoNodesAsync();
        await a.SaveAsync(List, None).DefaultTimeout();
        await LoadAllAsync(a, b);

        await b.SaveAsync("新=词\n", None).DefaultTimeout();

        Assert.Equal(["新=词\n", "新=词\n"], await LoadAllAsync(a, b));
    }

    [Fact]
    public async Task An_empty_list_saved_over_another_loads_as_empty_on_every_node()
    {
        var (a, b) = await TwoNodesAsync();
        await a.SaveAsync(List, None).DefaultTimeout();

        await a.SaveAsync("", None).DefaultTimeout();

        Assert.Equal(["", ""], await LoadAllAsync(a, b));
    }

    [Fact]
    public async Task A_restarted_node_loads_the_list_it_had()
    {
        var node = await CreateNodeAsync();
        await node.SaveAsync(List, None).DefaultTimeout();

        var restarted = await RestartAsync(node);

        Assert.Equal(List, await restarted.LoadAsync(None).DefaultTimeout());
    }

    [Fact]
    public async Task After_concurrent_saves_through_two_nodes_every_node_loads_the_same_one_of_them()
    {
        var (a, b) = await TwoNodesAsync();
        var lists = Enumerable.Range(0, 10).Select(static i => $"词{i}=好{i}\n" + new string('x', 10_000) + "=\n").ToArray();

        await Task.WhenAll(lists.Select((list, i) => Task.Run(() => (i % 2 == 0 ? a : b).SaveAsync(list, None).DefaultTimeout())));

        var loaded = await LoadAllAsync(a, b);
        Assert.Contains(loaded[0], lists);
        Assert.Equal(loaded[0], loaded[1]);
    }
}
