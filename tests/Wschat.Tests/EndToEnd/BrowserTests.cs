using Wschat.Tests.Infrastructure;

namespace Wschat.Tests.EndToEnd;

/// <summary>
/// The hub's own pages (/demo/, /admin/) in Debian's Chromium, driven by playwright-core from
/// tests/js/browser.test.js (./test.sh installs chromium; no browser is downloaded). With
/// WSCHAT_SCREENSHOT_DIR set (tools/update-screenshots.sh) the script writes the pages' screenshots there.
/// </summary>
public sealed class BrowserTests
{
    private const string ApiKey = "browser-test-api-key";

    [Fact]
    public async Task Raw_and_SignalR_pages_exchange_danmu_and_show_the_servers_refusals()
    {
        await using var node = await HubNode.StartAsync();
        await NodeTests.RunAsync("browser.test.js", node.BaseUri);
    }

    // TO ENABLE once the server HTTP API (issue 12 section 1, branch i12-api) is merged: remove Skip.
    // The same scenarios run, plus the admin console's (rooms and counts, publish, mute), with a key the API accepts.
    [Fact(Skip = "Needs the server HTTP API of issue 12 (branch i12-api); enable when it is merged")]
    public async Task The_admin_console_lists_the_room_publishes_into_it_and_mutes_a_uid()
    {
        await using var node = await HubNode.StartAsync(settings: $"Wschat:ApiKeys:0={ApiKey}");
        await NodeTests.RunAsync("browser.test.js", node.BaseUri, new Dictionary<string, string> { ["WSCHAT_API_KEY"] = ApiKey });
    }
}
