using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json.Nodes;

namespace Amnify.Bench.Infra;

/// <summary>The calls the bench makes to the real API to set up its data, as a script or CI job would.</summary>
public sealed class ApiClient : IDisposable
{
    public HttpClient Http { get; }
    /// <summary>For event streams: no overall timeout.</summary>
    public HttpClient Sse { get; }

    public ApiClient(string baseUrl, string token)
    {
        Http = new HttpClient(new SocketsHttpHandler { MaxConnectionsPerServer = 64, UseCookies = false })
        {
            BaseAddress = new Uri(baseUrl),
            Timeout = TimeSpan.FromSeconds(60),
        };
        Http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        Sse = new HttpClient(new SocketsHttpHandler { UseCookies = false }) { BaseAddress = new Uri(baseUrl), Timeout = Timeout.InfiniteTimeSpan };
        Sse.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
    }

    public void Dispose()
    {
        Http.Dispose();
        Sse.Dispose();
    }

    public async Task<JsonNode> Post(string path, object? body, params HttpStatusCode[] expected)
    {
        using var response = body is null ? await Http.PostAsync(path, null) : await Http.PostAsJsonAsync(path, body);
        return await Read(response, path, expected.Length == 0 ? [HttpStatusCode.OK, HttpStatusCode.Created, HttpStatusCode.Accepted] : expected);
    }

    public async Task<JsonNode> Patch(string path, object body)
    {
        using var response = await Http.PatchAsJsonAsync(path, body);
        return await Read(response, path, [HttpStatusCode.OK]);
    }

    public async Task<JsonNode> Get(string path)
    {
        using var response = await Http.GetAsync(path);
        return await Read(response, path, [HttpStatusCode.OK]);
    }

    private static async Task<JsonNode> Read(HttpResponseMessage response, string path, HttpStatusCode[] expected)
    {
        var text = await response.Content.ReadAsStringAsync();
        if (!expected.Contains(response.StatusCode))
            throw new InvalidOperationException($"{response.RequestMessage?.Method} {path} answered {(int)response.StatusCode}: {text}");
        return JsonNode.Parse(text) ?? new JsonObject();
    }

    public async Task<Guid> CreateProject(string name) =>
        Id(await Post("/api/v1/projects", new { provider = "aws", name }));

    public async Task<Guid> CreateCloudEnvironment(string name) =>
        Id(await Post("/api/v1/cloud-environments", new
        {
            provider = "aws", name, region = "us-east-1", accountId = "1", credentials = new Dictionary<string, string>(),
        }));

    /// <summary>An aws-network deployment with variables {name}.</summary>
    public async Task<Guid> CreateNetworkDeployment(Guid projectId, Guid environmentId, string name) =>
        Id(await Post("/api/v1/deployments", new
        {
            projectId, templateId = "aws-network", cloudEnvironmentId = environmentId, name, variables = new { name },
        }));

    public async Task<Guid> CreatePipeline(string name, IEnumerable<Guid> deploymentIds)
    {
        var id = Id(await Post("/api/v1/pipelines", new { provider = "aws", name }));
        foreach (var deploymentId in deploymentIds)
            await Post($"/api/v1/pipelines/{id}/steps", new { deploymentId });
        return id;
    }

    /// <summary>Creates <paramref name="count"/> deployments named prefix-1…n (in parallel, a few at a time).</summary>
    public async Task<Guid[]> CreateNetworkDeployments(Guid projectId, Guid environmentId, string prefix, int count)
    {
        var ids = new Guid[count];
        await Parallel.ForEachAsync(Enumerable.Range(0, count), new ParallelOptions { MaxDegreeOfParallelism = 4 },
            async (i, _) => ids[i] = await CreateNetworkDeployment(projectId, environmentId, $"{prefix}-{i + 1}"));
        return ids;
    }

    public static Guid Id(JsonNode node) => Guid.Parse(node["id"]!.GetValue<string>());
}
