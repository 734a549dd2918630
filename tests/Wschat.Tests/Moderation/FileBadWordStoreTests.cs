using System.Text;
using Microsoft.Extensions.FileProviders;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;
using Wschat.Hub.Moderation;
using Wschat.Tests.Infrastructure;

namespace Wschat.Tests.Moderation;

public sealed class FileBadWordStoreTests
{
    private readonly string _contentRoot = TempDirectory.Create();

    private FileBadWordStore Store(string dataDirectory = "data") =>
        new(Options.Create(new ModerationOptions { DataDirectory = dataDirectory }), new ContentRoot(_contentRoot));

    [Fact]
    public async Task Nothing_stored_loads_as_an_empty_list() =>
        Assert.Equal("", await Store().LoadAsync(CancellationToken.None));

    [Fact]
    public async Task A_saved_list_is_read_back_exactly_by_a_new_store_as_UTF8_without_BOM()
    {
        const string body = "禁词1=好词1\r\n😀=[笑]\n删除1=\r\n";
        await Store().SaveAsync("旧=的\r\n", CancellationToken.None);

        await Store().SaveAsync(body, CancellationToken.None);

        Assert.Equal(body, await Store().LoadAsync(CancellationToken.None));
        var file = Path.Combine(_contentRoot, "data", "badwords.txt");
        Assert.Equal(new UTF8Encoding(false).GetBytes(body), await File.ReadAllBytesAsync(file));
        Assert.Equal(["badwords.txt"], Directory.GetFiles(Path.GetDirectoryName(file)!).Select(Path.GetFileName));
    }

    [Fact]
    public async Task A_relative_data_directory_is_created_under_the_content_root()
    {
        await Store(Path.Combine("nested", "lists")).SaveAsync("坏=好\n", CancellationToken.None);

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
                await Store().SaveAsync(body, CancellationToken.None);
            }
        })));

        Assert.Contains(await Store().LoadAsync(CancellationToken.None), bodies);
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

    private sealed class ContentRoot(string path) : IHostEnvironment
    {
        public string EnvironmentName { get; set; } = Environments.Production;

        public string ApplicationName { get; set; } = "Wschat.Tests";

        public string ContentRootPath { get; set; } = path;

        public IFileProvider ContentRootFileProvider { get; set; } = new NullFileProvider();
    }
}
