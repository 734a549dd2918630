using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using Wschat.Tests.Infrastructure;

namespace Wschat.Tests.Api;

/// <summary>A site's backend calling a node's HTTP API with an API key, as real HTTP.</summary>
public sealed class ApiClient : IDisposable
{
    public const string Key = "backend-api-key";

    private readonly HttpClient _http;

    public ApiClient(HubNode node, string? key = Key)
    {
        _http = new HttpClient { BaseAddress = node.BaseUri, Timeout = RawClient.Timeout };
        if (key is not null)
        {
            _http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", key);
        }
    }

    public static string[] Settings => [$"Wschat:ApiKeys:0={Key}", "Wschat:AdminTokens:0=api-tests-admin"];

    public Task<HttpResponseMessage> GetAsync(string path) => _http.GetAsync(path);

    public Task<HttpResponseMessage> DeleteAsync(string path) => _http.DeleteAsync(path);

    public Task<HttpResponseMessage> PostAsync(string path, object body, string? idempotencyKey = null)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, path) { Content = JsonContent.Create(body) };
        if (idempotencyKey is not null)
        {
            request.Headers.Add("Idempotency-Key", idempotencyKey);
        }

        return _http.SendAsync(request);
    }

    public Task<HttpResponseMessage> PutAsync(string path, object body) => _http.PutAsJsonAsync(path, body);

    public Task<HttpResponseMessage> SendRawAsync(HttpMethod method, string path, string body, string contentType = "application/json") =>
        _http.SendAsync(new HttpRequestMessage(method, path) { Content = new StringContent(body, System.Text.Encoding.UTF8, contentType) });

    /// <summary>The JSON body of a response that must have <paramref name="status"/>.</summary>
    public static async Task<JsonElement> ExpectAsync(HttpResponseMessage response, HttpStatusCode status)
    {
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == status, $"expected {status}, got {response.StatusCode}: {text}");
        return text.Length == 0 ? default : JsonDocument.Parse(text).RootElement.Clone();
    }

    /// <summary>An RFC 7807 problem: problem+json with the status in the body too; returns it.</summary>
    public static async Task<JsonElement> ExpectProblemAsync(HttpResponseMessage response, HttpStatusCode status)
    {
        var problem = await ExpectAsync(response, status);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        Assert.Equal((int)status, problem.GetProperty("status").GetInt32());
        return problem;
    }

    public void Dispose() => _http.Dispose();
}
