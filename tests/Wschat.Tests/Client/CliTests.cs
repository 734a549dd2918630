using System.Diagnostics;
using Wschat.Tests.Infrastructure;

namespace Wschat.Tests.Client;

/// <summary>The CLI as an operator runs it: lines piped on standard input, the room printed on standard output.</summary>
public sealed class CliTests
{
    private static string CliPath
    {
        get
        {
            // Built by the test project's build, in the same configuration as the tests.
            var configuration = new DirectoryInfo(AppContext.BaseDirectory).Parent!.Name;
            return Path.Combine(RepositoryPaths.Root, "tools", "wschat-cli", "bin", configuration, "net10.0", "wschat-cli.dll");
        }
    }

    [Fact]
    public async Task Piped_lines_become_danmu_text_and_commands_and_the_room_is_printed_with_names()
    {
        await using var node = await HubNode.StartAsync();
        await using var watcher = await RawClient.ConnectAsync(node.RawUri);
        await watcher.JoinAsync("cli-room");

        var output = await RunCliAsync($"{node.RawUri} --room cli-room --name 主播", "大家好 😀\n/text 聊天一下\n/users\n/quit\n");

        Assert.Equal("大家好 😀", (await watcher.ReceiveSkippingAsync("danmu")).GetProperty("text").GetString());
        Assert.Equal("聊天一下", (await watcher.ReceiveSkippingAsync("text")).GetProperty("text").GetString());
        Assert.Matches(@"\d\d:\d\d:\d\d  danmu   主播 \[\d+\]: 大家好 😀", output);
        Assert.Matches(@"text    主播 \[\d+\]: 聊天一下", output);
        Assert.Contains("users   1 logged in", output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Set_bad_words_reads_the_list_from_a_file_and_needs_the_admin_token()
    {
        await using var node = await HubNode.StartAsync(settings: "Wschat:AdminTokens:0=cli-admin");
        var list = Path.Combine(TempDirectory.Create(), "words.txt");
        await File.WriteAllTextAsync(list, "禁词=好词\n");

        Assert.Contains("set 1 rules", await RunCliAsync($"set-bad-words {node.HubUri} --file {list} --token cli-admin", ""), StringComparison.Ordinal);
        Assert.Contains("4003", await RunCliAsync($"set-bad-words {node.HubUri} --file {list}", "", expectedExitCode: 1), StringComparison.Ordinal);

        await using var client = await RawClient.ConnectAsync(node.RawUri);
        await client.JoinAsync("r");
        await client.SendAsync("danmu", new { text = "禁词" });
        Assert.Equal("好词", (await client.ReceiveAsync("danmu")).GetProperty("text").GetString());
    }

    private static async Task<string> RunCliAsync(string arguments, string input, int expectedExitCode = 0)
    {
        var start = new ProcessStartInfo("dotnet", [CliPath, .. arguments.Split(' ')])
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var errors = process.StandardError.ReadToEndAsync();
        await process.StandardInput.WriteAsync(input);
        process.StandardInput.Close();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        await process.WaitForExitAsync(timeout.Token);
        var text = await output + await errors;
        Assert.True(process.ExitCode == expectedExitCode, $"exit code {process.ExitCode}:\n{text}");
        return text;
    }
}
