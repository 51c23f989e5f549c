using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json.Nodes;

namespace Amnify.Harness.Infra;

/// <summary>An answer of the API: status, parsed JSON body (or null) and the ETag header.</summary>
public sealed record Answer(HttpStatusCode Status, JsonNode? Body, string? ETag, string Text, string Request = "")
{
    public int Code => (int)Status;
    public bool Ok => Code is >= 200 and < 300;
    public Guid Id => Guid.Parse(Body!["id"]!.GetValue<string>());
}

/// <summary>
/// The calls the harnesses make to the real API, as a script or CI job would, with the bootstrap admin token:
/// <see cref="Send"/> answers whatever came back (the chaos and load harnesses judge it); the <c>…Json</c>
/// calls and the <c>Create…</c> helpers throw on an unexpected status (the bench sets up its data with them).
/// </summary>
public sealed class ApiClient : IDisposable
{
    private readonly HttpClient http;
    private readonly Func<string> baseUrl;
    private readonly string token;
    private HttpClient? streams;

    public ApiClient(string baseUrl, string token, int maxConnections = 64, TimeSpan? timeout = null)
        : this(() => baseUrl, token, maxConnections, timeout) { }

    /// <param name="baseUrl">Asked at every call: the API's port changes when the chaos harness restarts it.</param>
    public ApiClient(Func<string> baseUrl, string token, int maxConnections = 64, TimeSpan? timeout = null)
    {
        this.baseUrl = baseUrl;
        http = new HttpClient(new SocketsHttpHandler
        {
            MaxConnectionsPerServer = maxConnections,
            UseCookies = false,
            PooledConnectionLifetime = TimeSpan.FromMinutes(5),
            ConnectTimeout = TimeSpan.FromSeconds(5),
        })
        {
            Timeout = timeout ?? TimeSpan.FromSeconds(30),
        };
        http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        this.token = token;
    }

    public void Dispose()
    {
        http.Dispose();
        streams?.Dispose();
    }

    /// <summary>Opens an event stream (no overall timeout); the caller reads and disposes the response.</summary>
    public async Task<HttpResponseMessage> OpenStream(string path, CancellationToken ct)
    {
        streams ??= new HttpClient(new SocketsHttpHandler { UseCookies = false }) { Timeout = Timeout.InfiniteTimeSpan };
        using var request = new HttpRequestMessage(HttpMethod.Get, baseUrl() + path);
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        var response = await streams.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, ct);
        response.EnsureSuccessStatusCode();
        return response;
    }

    public async Task<Answer> Send(HttpMethod method, string path, object? body = null, string? ifMatch = null, string? idempotencyKey = null,
        CancellationToken ct = default)
    {
        using var request = new HttpRequestMessage(method, baseUrl() + path);
        if (body is not null) request.Content = JsonContent.Create(body);
        if (ifMatch is not null) request.Headers.TryAddWithoutValidation("If-Match", ifMatch);
        if (idempotencyKey is not null) request.Headers.TryAddWithoutValidation("Idempotency-Key", idempotencyKey);
        using var response = await http.SendAsync(request, ct);
        var text = await response.Content.ReadAsStringAsync(ct);
        JsonNode? json = null;
        if (text.Length > 0 && (text[0] == '{' || text[0] == '['))
        {
            try { json = JsonNode.Parse(text); } catch (System.Text.Json.JsonException) { }
        }
        return new Answer(response.StatusCode, json, response.Headers.ETag?.ToString(), text, $"{method} {Template(path)}");
    }

    /// <summary>The path with ids replaced by {id}, for grouping answers.</summary>
    public static string Template(string path) =>
        System.Text.RegularExpressions.Regex.Replace(path.Split('?')[0], "[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}", "{id}");

    public Task<Answer> Get(string path, CancellationToken ct = default) => Send(HttpMethod.Get, path, ct: ct);
    public Task<Answer> Post(string path, object? body = null, string? idempotencyKey = null, CancellationToken ct = default) =>
        Send(HttpMethod.Post, path, body, idempotencyKey: idempotencyKey, ct: ct);

    /// <summary>
    /// Repeats <paramref name="call"/> while the API cannot be reached or answers 5xx (it is being restarted,
    /// or PostgreSQL is), until <paramref name="timeout"/>. Only for calls that are safe to repeat.
    /// </summary>
    public static async Task<Answer> Retry(Func<Task<Answer>> call, TimeSpan timeout, Action<Answer>? on5xx = null)
    {
        var until = DateTime.UtcNow + timeout;
        while (true)
        {
            try
            {
                var answer = await call();
                if (answer.Code < 500) return answer;
                on5xx?.Invoke(answer);
                if (DateTime.UtcNow > until) return answer;
            }
            catch (Exception e) when (e is HttpRequestException or TaskCanceledException or IOException)
            {
                if (DateTime.UtcNow > until) throw;
            }
            await Task.Delay(250);
        }
    }

    // ---- the bench's set-up calls: the body, or an exception naming the request and the answer ----

    private static readonly HttpStatusCode[] Success = [HttpStatusCode.OK, HttpStatusCode.Created, HttpStatusCode.Accepted];

    public async Task<JsonNode> PostJson(string path, object? body, params HttpStatusCode[] expected) =>
        Expect(await Send(HttpMethod.Post, path, body), expected.Length == 0 ? Success : expected);

    public async Task<JsonNode> PatchJson(string path, object body) => Expect(await Send(HttpMethod.Patch, path, body), [HttpStatusCode.OK]);

    public async Task<JsonNode> GetJson(string path) => Expect(await Get(path), [HttpStatusCode.OK]);

    private static JsonNode Expect(Answer answer, HttpStatusCode[] expected) =>
        expected.Contains(answer.Status)
            ? answer.Body ?? new JsonObject()
            : throw new InvalidOperationException($"{answer.Request} answered {answer.Code}: {answer.Text}");

    public async Task<Guid> CreateProject(string name) =>
        Id(await PostJson("/api/v1/projects", new { provider = "aws", name }));

    public async Task<Guid> CreateCloudEnvironment(string name) =>
        Id(await PostJson("/api/v1/cloud-environments", new
        {
            provider = "aws", name, region = "us-east-1", accountId = "1", credentials = new Dictionary<string, string>(),
        }));

    /// <summary>An aws-network deployment with variables {name}.</summary>
    public async Task<Guid> CreateNetworkDeployment(Guid projectId, Guid environmentId, string name) =>
        Id(await PostJson("/api/v1/deployments", new
        {
            projectId, templateId = "aws-network", cloudEnvironmentId = environmentId, name, variables = new { name },
        }));

    public async Task<Guid> CreatePipeline(string name, IEnumerable<Guid> deploymentIds)
    {
        var id = Id(await PostJson("/api/v1/pipelines", new { provider = "aws", name }));
        foreach (var deploymentId in deploymentIds)
            await PostJson($"/api/v1/pipelines/{id}/steps", new { deploymentId });
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
