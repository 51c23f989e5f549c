using Microsoft.AspNetCore.Mvc.Testing;

namespace Amnify.Api.Tests.Features.Access;

[CollectionDefinition(nameof(AccessCollection))]
public sealed class AccessCollection : ICollectionFixture<ApiFactory>;

/// <summary>What the Access use-case tests share: one database per area (the collection), a client and helpers.</summary>
public abstract class AccessTestBase(ApiFactory api) : IAsyncLifetime
{
    protected readonly ApiFactory api = api;

    protected readonly HttpClient admin = api.CreateClient();

    public Task InitializeAsync() => admin.SyncExamples();

    public Task DisposeAsync() => Task.CompletedTask;

    public static readonly string X = Guid.CreateVersion7().ToString();

    /// <summary>The app as deployed, SPA included, shared by the matrix's rows.</summary>
    protected WebApplicationFactory<Program> Host() => api.SpaHost;

    protected static HttpRequestMessage Request(string method, string url) =>
        new(new HttpMethod(method), url) { Content = method is "GET" or "DELETE" or "HEAD" ? null : new StringContent("{}", System.Text.Encoding.UTF8, "application/json") };

    protected static readonly Dictionary<string, System.Net.Http.Headers.AuthenticationHeaderValue> Tokens = [];

    /// <summary>A client of the SPA-serving host with the personal token of a user of <paramref name="role"/>.</summary>
    protected async Task<HttpClient> ClientFor(string role)
    {
        System.Net.Http.Headers.AuthenticationHeaderValue? token;
        lock (Tokens) Tokens.TryGetValue(role, out token);
        if (token is null)
        {
            token = (await api.CreateClientAs(role)).DefaultRequestHeaders.Authorization!;
            lock (Tokens) Tokens[role] = token;
        }
        var client = Host().CreateClient();
        client.DefaultRequestHeaders.Authorization = token;
        return client;
    }
}

internal static class JsonListExtensions
{
    public static async Task<T[]> GetFromJsonList<T>(this HttpClient client, string url) => await (await client.GetAsync(url)).Read<T[]>();
}
