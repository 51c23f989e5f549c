using System.Diagnostics;
using System.Net.Http.Headers;
using Amnify.Harness.Reporting;

namespace Amnify.Harness.Bench;

/// <summary>One operation of a load test: sends its request(s) on the client and says whether all succeeded.</summary>
public delegate Task<bool> LoadOperation(HttpClient client, int worker, CancellationToken ct);

public sealed record LoadResult(int Connections, double Seconds, int Requests, int Errors, double RequestsPerSecond, Percentiles LatencyMs);

/// <summary>
/// A closed-loop load generator: <c>connections</c> workers, each with one request in flight at a time on a
/// pool of exactly that many connections, every latency recorded (no sampling), after an unrecorded warm-up.
/// Closed loop means latency is service time under that concurrency; there is no target rate to fall behind.
/// </summary>
public static class LoadClient
{
    public static HttpClient NewClient(string baseUrl, int connections, string? token, string? extraHeader = null)
    {
        var client = new HttpClient(new SocketsHttpHandler
        {
            MaxConnectionsPerServer = connections,
            PooledConnectionLifetime = Timeout.InfiniteTimeSpan,
            PooledConnectionIdleTimeout = TimeSpan.FromMinutes(5),
            UseCookies = false,
            AutomaticDecompression = System.Net.DecompressionMethods.None,
        })
        {
            BaseAddress = new Uri(baseUrl),
            Timeout = TimeSpan.FromSeconds(30),
        };
        if (token is not null) client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        if (extraHeader is not null) client.DefaultRequestHeaders.Add(extraHeader, "1");
        return client;
    }

    public static async Task<LoadResult> Run(string baseUrl, string? token, int connections, TimeSpan warmup, TimeSpan duration, LoadOperation operation,
        string? extraHeader = null)
    {
        using var client = NewClient(baseUrl, connections, token, extraHeader);
        await Loop(client, connections, warmup, operation, record: false);
        var clock = Stopwatch.StartNew();
        var (latencies, errors) = await Loop(client, connections, duration, operation, record: true);
        var seconds = clock.Elapsed.TotalSeconds;
        return new LoadResult(connections, seconds, latencies.Count, errors, latencies.Count / seconds, Percentiles.Of(latencies));
    }

    /// <summary>A server to load in <see cref="RunAlternating"/>: its address, the token to send, and any extra header.</summary>
    public sealed record Target(string BaseUrl, string? Token, string? ExtraHeader = null);

    /// <summary>
    /// The same load on several servers, taking turns in <paramref name="rounds"/> slices of the duration each (after a
    /// warm-up of each), so a change in the machine's load — other processes on a shared machine — falls on all of them
    /// alike instead of on whichever ran during it. One result per target, in order.
    /// </summary>
    public static async Task<LoadResult[]> RunAlternating(IReadOnlyList<Target> targets, int connections, TimeSpan warmup, TimeSpan duration,
        LoadOperation operation, int rounds)
    {
        var clients = targets.Select(t => NewClient(t.BaseUrl, connections, t.Token, t.ExtraHeader)).ToArray();
        try
        {
            foreach (var client in clients) await Loop(client, connections, warmup, operation, record: false);
            var latencies = targets.Select(_ => new List<double>()).ToArray();
            var errors = new int[targets.Count];
            var seconds = new double[targets.Count];
            for (var round = 0; round < rounds; round++)
                for (var i = 0; i < clients.Length; i++)
                {
                    var clock = Stopwatch.StartNew();
                    var (slice, failed) = await Loop(clients[i], connections, duration / rounds, operation, record: true);
                    seconds[i] += clock.Elapsed.TotalSeconds;
                    latencies[i].AddRange(slice);
                    errors[i] += failed;
                }
            return targets.Select((_, i) => new LoadResult(connections, seconds[i], latencies[i].Count, errors[i], latencies[i].Count / seconds[i],
                Percentiles.Of(latencies[i]))).ToArray();
        }
        finally
        {
            foreach (var client in clients) client.Dispose();
        }
    }

    private static async Task<(List<double> Latencies, int Errors)> Loop(HttpClient client, int connections, TimeSpan duration, LoadOperation operation, bool record)
    {
        var until = Stopwatch.GetTimestamp() + (long)(duration.TotalSeconds * Stopwatch.Frequency);
        var perWorker = new List<double>[connections];
        var errors = 0;
        var workers = Enumerable.Range(0, connections).Select(w => Task.Run(async () =>
        {
            var mine = perWorker[w] = new List<double>(4096);
            while (Stopwatch.GetTimestamp() < until)
            {
                var start = Stopwatch.GetTimestamp();
                bool ok;
                try { ok = await operation(client, w, CancellationToken.None); }
                catch (Exception e) when (e is HttpRequestException or TaskCanceledException) { ok = false; }
                if (!ok)
                {
                    Interlocked.Increment(ref errors);
                    continue;
                }
                if (record) mine.Add(Stopwatch.GetElapsedTime(start).TotalMilliseconds);
            }
        })).ToArray();
        await Task.WhenAll(workers);
        return (perWorker.SelectMany(l => l).ToList(), errors);
    }

    /// <summary>GET <paramref name="path"/>; the body is read in full.</summary>
    public static LoadOperation Get(string path) => async (client, _, ct) =>
    {
        using var response = await client.GetAsync(path, HttpCompletionOption.ResponseContentRead, ct);
        return response.IsSuccessStatusCode;
    };

    /// <summary>POST /pipelines/{id}/runs then POST /pipeline-runs/{run}/cancel, worker i on pipeline i: one operation.</summary>
    public static LoadOperation TriggerAndCancel(IReadOnlyList<Guid> pipelines) => async (client, worker, ct) =>
    {
        using var trigger = await client.PostAsync($"/api/v1/pipelines/{pipelines[worker]}/runs", null, ct);
        await trigger.Content.LoadIntoBufferAsync(ct);
        if (!trigger.IsSuccessStatusCode || trigger.Headers.Location is not { } location) return false;
        using var cancel = await client.PostAsync($"{location.OriginalString.TrimEnd('/')}/cancel", null, ct);
        await cancel.Content.LoadIntoBufferAsync(ct);
        return cancel.IsSuccessStatusCode;
    };
}
