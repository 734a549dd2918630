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
    public async Task Raw_and_SignalR_pages_exchange_danmu_see_refusals_and_the_admin_console_moderates_their_room()
    {
        await using var node = await HubNode.StartAsync(settings: $"Wschat:ApiKeys:0={ApiKey}");
        await NodeTests.RunAsync("browser.test.js", node.BaseUri, new Dictionary<string, string> { ["WSCHAT_API_KEY"] = ApiKey });
    }
}
