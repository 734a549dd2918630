using System.Text;
using Wschat.Hub.Moderation;
using Wschat.Hub.Storage;
using Wschat.Tests.Infrastructure;
using Xunit.Abstractions;

namespace Wschat.Tests.Moderation;

/// <summary>The list of a single node, in <c>badwords.txt</c> of its data directory.</summary>
public sealed class FileBadWordStoreTests(ITestOutputHelper output) : BadWordStoreSpecification(output)
{
    private readonly string _contentRoot = TempDirectory.Create();

    private protected override Task<IBadWordStore> CreateNodeAsync() => Task.FromResult<IBadWordStore>(Store());

    private protected override Task<IBadWordStore> RestartAsync(IBadWordStore node) => CreateNodeAsync();

    private FileBadWordStore Store(string dataDirectory = "data") => FileStore(_contentRoot, dataDirectory);

    [Fact]
    public async Task A_saved_list_is_the_whole_file_in_UTF8_without_BOM_and_no_other_file_is_left()
    {
        const string body = "禁词1=好词1\r\n😀=[笑]\n删除1=\r\n";
        await Store().SaveAsync("旧=的\r\n", None).DefaultTimeout();

        await Store().SaveAsync(body, None).DefaultTimeout();

        var file = Path.Combine(_contentRoot, "data", "badwords.txt");
        Assert.Equal(new UTF8Encoding(false).GetBytes(body), await File.ReadAllBytesAsync(file));
        Assert.Equal(["badwords.txt"], Directory.GetFiles(Path.GetDirectoryName(file)!).Select(Path.GetFileName));
    }

    [Fact]
    public async Task A_relative_data_directory_is_created_under_the_content_root()
    {
        await Store(Path.Combine("nested", "lists")).SaveAsync("坏=好\n", None).DefaultTimeout();

        Assert.True(File.Exists(Path.Combine(_contentRoot, "nested", "lists", "badwords.txt")));
    }

    [Fact]
    public async Task Concurrent_saves_leave_one_whole_list_and_no_temporary_files()
    {
        var bodies = Enumerable.Range(0, 8).Select(static i => $"词{i}=好{i}\n" + new string('x', 100_000) + "=\n").ToArray();

        await Task.WhenAll(bodies.Select(body => Task.Run(async () =>
        {
            for (var save = 0; save < 20; save++)
            {
                await Store().SaveAsync(body, None);
            }
        }))).WaitAsync(TimeSpan.FromMinutes(1));

        Assert.Contains(await Store().LoadAsync(None).DefaultTimeout(), bodies);
        Assert.Single(Directory.GetFiles(Path.Combine(_contentRoot, "data")));
    }

    // Whether the rename reached the disk before a crash can't be observed from a test; what can is that
    // the directory flush after it runs for real (libc open and fsync) and reports a failure.
    [Fact]
    public void The_directory_flush_after_the_rename_succeeds_and_reports_a_directory_it_cannot_open()
    {
        DirectoryFlush.Flush(_contentRoot);

        if (!OperatingSystem.IsWindows())
        {
            Assert.Contains("missing", Assert.Throws<IOException>(() => DirectoryFlush.Flush(Path.Combine(_contentRoot, "missing"))).Message, StringComparison.Ordinal);
        }
    }
}
