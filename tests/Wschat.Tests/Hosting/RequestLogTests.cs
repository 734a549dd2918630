using Wschat.Hub.Hosting;
using Wschat.Tests.Infrastructure;

namespace Wschat.Tests.Hosting;

/// <summary>With <c>Microsoft.AspNetCore</c> logging at Information, requests are logged and credentials in their query strings are not.</summary>
public sealed class RequestLogTests
{
    private const string Token = "t0ken-that-must-never-be-logged";

    [Fact]
    public async Task Requests_with_the_admin_token_in_the_query_string_are_logged_with_it_redacted()
    {
        // Even asked for by name, the hosting layer's own request lines (query strings as they came) stay off.
        await using var node = await HubProcess.StartAsync(
            $"Wschat:AdminTokens:0={Token}",
            "Logging:LogLevel:Microsoft.AspNetCore=Information",
            "Logging:LogLevel:Microsoft.AspNetCore.Hosting.Diagnostics=Information");
        using var http = new HttpClient { Timeout = RawClient.Timeout };

        (await http.PostAsync(new Uri(node.BaseUri, $"/drain?access_token={Token}&undo"), null)).EnsureSuccessStatusCode();
        (await http.PostAsync(new Uri(node.BaseUri, $"/hub/negotiate?negotiateVersion=1&access_token={Token}"), null)).EnsureSuccessStatusCode();
        await using (await RawClient.ConnectAsync(new Uri(node.RawUri, $"?access_token={Token}")))
        {
        }

        // The log is written in order: once the last request is in it, so are all the others.
        await http.GetAsync(new Uri(node.BaseUri, "/healthz?last=request"));
        var log = await Eventually.GetAsync(
            () => Task.FromResult(node.Output.Contains("last=request", StringComparison.Ordinal) ? node.Output : null),
            RawClient.Timeout,
            "the last request logged");

        Assert.DoesNotContain(Token, log, StringComparison.Ordinal);
        Assert.Contains("/drain", log, StringComparison.Ordinal);
        Assert.Contains("access_token=[Redacted]&undo", log, StringComparison.Ordinal);
        Assert.Contains("negotiateVersion=1&access_token=[Redacted]", log, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("?id=c0nnection-token&x=1", "?id=[Redacted]&x=1")]
    [InlineData("?access%5Ftoken=s&undo", "?access%5Ftoken=[Redacted]&undo")]
    [InlineData("?ACCESS_TOKEN=s", "?ACCESS_TOKEN=[Redacted]")]
    [InlineData("?q=access_token&last=id", "?q=access_token&last=id")]
    public void Credential_parameters_are_redacted_however_spelled_and_others_are_kept(string query, string logged) =>
        Assert.Equal(logged, RequestLogging.Redact(query));
}
