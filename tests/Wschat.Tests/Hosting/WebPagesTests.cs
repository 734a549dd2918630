using System.Net;
using Wschat.Tests.Infrastructure;

namespace Wschat.Tests.Hosting;

/// <summary>The pages are served by the hub itself, next to the raw wschat endpoint at the root.</summary>
public sealed class WebPagesTests
{
    [Fact]
    public async Task A_browser_at_the_root_is_sent_to_the_player_with_its_query_while_a_legacy_client_still_connects_there()
    {
        await using var node = await HubNode.StartAsync();
        using var http = new HttpClient(new HttpClientHandler { AllowAutoRedirect = false }) { BaseAddress = node.BaseUri };

        using var browser = new HttpRequestMessage(HttpMethod.Get, "/?room=r1");
        browser.Headers.Accept.ParseAdd("text/html,application/xhtml+xml,*/*;q=0.8");
        using var redirected = await http.SendAsync(browser);
        Assert.Equal(HttpStatusCode.Redirect, redirected.StatusCode);
        Assert.Equal("/demo/?room=r1", redirected.Headers.Location?.OriginalString);

        using var plain = await http.GetAsync(new Uri("/", UriKind.Relative));
        Assert.Equal(HttpStatusCode.BadRequest, plain.StatusCode);

        await using var legacy = await RawClient.ConnectAsync(node.RawUri);
        Assert.True(legacy.Uid > 0);
    }

    [Theory]
    [InlineData("/demo/", "text/html")]
    [InlineData("/demo/demo.js", "text/javascript")]
    [InlineData("/admin/", "text/html")]
    [InlineData("/lib/signalr.min.js", "text/javascript")]
    [InlineData("/lib/signalr-protocol-msgpack.min.js", "text/javascript")]
    public async Task The_pages_and_the_SignalR_bundle_are_served_without_a_CDN(string path, string mediaType)
    {
        await using var node = await HubNode.StartAsync();
        using var http = new HttpClient { BaseAddress = node.BaseUri };

        using var response = await http.GetAsync(new Uri(path, UriKind.Relative));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(mediaType, response.Content.Headers.ContentType?.MediaType);
        Assert.Equal("no-cache", response.Headers.CacheControl?.ToString());
    }

    [Theory]
    [InlineData("/demo/")]
    [InlineData("/admin/")]
    [InlineData("/demo/demo.js")]
    [InlineData("/lib/signalr.min.js")]
    public async Task The_pages_forbid_framing_foreign_scripts_and_sniffing_and_send_no_referrer(string path)
    {
        await using var node = await HubNode.StartAsync();
        using var http = new HttpClient { BaseAddress = node.BaseUri };

        using var response = await http.GetAsync(new Uri(path, UriKind.Relative));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var policy = Assert.Single(response.Headers.GetValues("Content-Security-Policy")).Split(';', StringSplitOptions.TrimEntries);
        Assert.Contains("default-src 'self'", policy);
        Assert.Contains("img-src 'self' data: https:", policy);
        Assert.Contains("frame-ancestors 'none'", policy);
        Assert.Equal("nosniff", Assert.Single(response.Headers.GetValues("X-Content-Type-Options")));
        Assert.Equal("no-referrer", Assert.Single(response.Headers.GetValues("Referrer-Policy")));
    }

    /// <summary>The vendored bundles are the npm packages' files, unchanged (tests/js/package-lock.json pins them).</summary>
    [Theory]
    [InlineData("signalr.min.js", "@microsoft/signalr/dist/browser/signalr.min.js")]
    [InlineData("signalr-protocol-msgpack.min.js", "@microsoft/signalr-protocol-msgpack/dist/browser/signalr-protocol-msgpack.min.js")]
    public async Task The_vendored_SignalR_bundles_match_the_pinned_npm_packages(string vendored, string package)
    {
        var served = await File.ReadAllBytesAsync(Path.Combine(RepositoryPaths.Root, "src", "Wschat.Hub", "Web", "lib", vendored));
        var packaged = await File.ReadAllBytesAsync(Path.Combine(NodeTests.Directory, "node_modules", package));
        Assert.Equal(packaged, served);
    }
}
