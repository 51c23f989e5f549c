using System.Net.Http.Headers;
using System.Text.Json;
using Amnify.Cli.Api;

namespace Amnify.Cli;

/// <summary>
/// One invocation: where the server is and who calls (<c>--url</c>/<c>--token</c>, else <c>AMNIFY_URL</c>/<c>AMNIFY_TOKEN</c>),
/// the generated client, and the output mode. Human lines go to stdout; with <c>--output json</c> stdout holds only the
/// JSON the server answered and progress lines go to stderr, so a script can pipe stdout to jq.
/// </summary>
public sealed class Session : IDisposable
{
    private static readonly string Agent = $"amnify-cli/{typeof(Session).Assembly.GetName().Version?.ToString(3)}";
    private readonly HttpClient http;
    private readonly HttpClient streams;
    private readonly TextWriter stdout;
    private readonly TextWriter stderr;

    public Uri Url { get; }
    public bool Json { get; }
    public AmnifyClient Client { get; }

    public Session(string? url, string? token, bool json, TextWriter stdout, TextWriter stderr)
    {
        url ??= Environment.GetEnvironmentVariable("AMNIFY_URL");
        token ??= Environment.GetEnvironmentVariable("AMNIFY_TOKEN");
        if (string.IsNullOrWhiteSpace(url)) throw new UsageException("No server: pass --url or set AMNIFY_URL (e.g. https://deploy.example.com).");
        if (string.IsNullOrWhiteSpace(token)) throw new UsageException("No token: pass --token or set AMNIFY_TOKEN (an API or pipeline trigger token, amn_…).");
        if (!Uri.TryCreate(url.TrimEnd('/') + "/", UriKind.Absolute, out var parsed) || parsed.Scheme is not ("http" or "https"))
            throw new UsageException($"--url must be an http(s) URL, not {url}.");
        Url = parsed;
        Json = json;
        (this.stdout, this.stderr) = (stdout, stderr);
        http = Create(parsed, token.Trim(), TimeSpan.FromSeconds(30));
        // An event stream stays open for as long as the run takes.
        streams = Create(parsed, token.Trim(), Timeout.InfiniteTimeSpan);
        Client = new AmnifyClient(http);
    }

    private static HttpClient Create(Uri url, string token, TimeSpan timeout)
    {
        var client = new HttpClient { BaseAddress = url, Timeout = timeout };
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        client.DefaultRequestHeaders.UserAgent.ParseAdd(Agent);
        return client;
    }

    /// <summary>A progress line (stderr in JSON mode).</summary>
    public void Progress(string line) => (Json ? stderr : stdout).WriteLine(line);

    /// <summary>The command's answer: the server's JSON as it came, or the human lines.</summary>
    public void Result(string? json, Func<IEnumerable<string>> human)
    {
        if (Json) stdout.WriteLine(json is null ? "null" : JsonSerializer.Serialize(JsonDocument.Parse(json).RootElement));
        else foreach (var line in human()) stdout.WriteLine(line);
    }

    public void Error(string message) => stderr.WriteLine($"amnify: {message}");

    /// <summary>The SPA page of a run, for people reading a CI log.</summary>
    public string Link(CloudProvider? provider, string path) =>
        provider is { } p ? new Uri(Url, $"{p.ToString().ToLowerInvariant()}/{path}").ToString() : new Uri(Url, path).ToString();

    public async Task<HttpResponseMessage> OpenStream(string path, CancellationToken ct)
    {
        var request = new HttpRequestMessage(HttpMethod.Get, path);
        request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("text/event-stream"));
        var response = await streams.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, ct);
        response.EnsureSuccessStatusCode();
        return response;
    }

    public void Dispose()
    {
        http.Dispose();
        streams.Dispose();
    }
}
