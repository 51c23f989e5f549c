using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json.Nodes;

namespace Amnify.Reliability.Infra;

/// <summary>An answer of the API: status, parsed JSON body (or null) and the ETag header.</summary>
public sealed record Answer(HttpStatusCode Status, JsonNode? Body, string? ETag, string Text, string Request = "")
{
    public int Code => (int)Status;
    public bool Ok => Code is >= 200 and < 300;
    public Guid Id => Guid.Parse(Body!["id"]!.GetValue<string>());
}

/// <summary>The calls the harnesses make to the real API, as a script or CI job would, with the bootstrap admin token.</summary>
public sealed class ApiClient : IDisposable
{
    private readonly HttpClient http;
    private readonly Func<string> baseUrl;

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
    }

    public void Dispose() => http.Dispose();

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
}
