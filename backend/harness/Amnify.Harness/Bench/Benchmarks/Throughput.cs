using System.Text.Json.Nodes;
using Amnify.Harness.Bench.Baseline;
using Amnify.Harness.Infra;
using Amnify.Harness.Reporting;

namespace Amnify.Harness.Bench.Benchmarks;

/// <summary>
/// Benchmark 2: requests/s and latency of the API's hot endpoints at 1, 16 and 64 connections, against
/// the bare baseline app running the same SQL and writing the same JSON, measured the same way (the reads;
/// trigger + cancel is measured on the API alone), the API and the baseline taking turns in slices of each measurement.
/// </summary>
public static class Throughput
{
    public const string GetPipeline = "GET /pipelines/{id}";
    public const string GetPipelineRun = "GET /pipeline-runs/{id}";
    public const string ListPipelines = "GET /pipelines?provider=aws&limit=50";
    public const string TriggerCancel = "POST /pipelines/{id}/runs + cancel";

    /// <summary>Turns the API and the baseline take within each measurement.</summary>
    private const int Rounds = 5;

    /// <summary>The four endpoints, as paths on either server.</summary>
    public static async Task<List<(string Name, LoadOperation Operation, string? Path)>> Endpoints(BenchContext ctx)
    {
        var (pipelineId, runId) = await Subjects(ctx);
        var pairs = ctx.TriggerPipelines ??= await TriggerPipelines(ctx, ctx.Sizes.Connections.Max());
        return
        [
            (GetPipeline, LoadClient.Get($"/api/v1/pipelines/{pipelineId}"), $"/api/v1/pipelines/{pipelineId}"),
            (GetPipelineRun, LoadClient.Get($"/api/v1/pipeline-runs/{runId}"), $"/api/v1/pipeline-runs/{runId}"),
            (ListPipelines, LoadClient.Get("/api/v1/pipelines?provider=aws&limit=50"), "/api/v1/pipelines?provider=aws&limit=50"),
            (TriggerCancel, LoadClient.TriggerAndCancel(pairs), null),
        ];
    }

    public static async Task<ThroughputResult> Run(BenchContext ctx)
    {
        var endpoints = ctx.Endpoints ??= await Endpoints(ctx);
        var same = new Dictionary<string, bool>();
        var differences = new List<string>();
        foreach (var (name, _, path) in endpoints)
        {
            if (path is null) continue;
            var (equal, difference) = await CompareJson(ctx, path);
            same[name] = equal;
            if (difference is not null) differences.Add($"{name}: {difference}");
        }

        var rows = new List<ThroughputRow>();
        foreach (var (name, operation, path) in endpoints)
            foreach (var connections in ctx.Sizes.Connections)
            {
                LoadResult apiResult;
                LoadResult? baseResult = null, withAuth = null;
                if (path is null)
                    apiResult = await LoadClient.Run(ctx.ApiUrl, ctx.Token, connections, ctx.Sizes.Warmup, ctx.Sizes.LoadDuration, operation);
                else
                    // The baseline serves the reads only (path set); for them, once more with the product's token check, to split the
                    // gap. The three take turns in short slices: on a shared machine the load of others changes from second to second.
                    (apiResult, baseResult, withAuth) = await LoadClient.RunAlternating(
                        [new(ctx.ApiUrl, ctx.Token), new(ctx.BaselineUrl, ctx.Token), new(ctx.BaselineUrl, ctx.Token, BaselineApp.AuthHeader)],
                        connections, ctx.Sizes.Warmup, ctx.Sizes.LoadDuration, operation, Rounds) switch
                    {
                        [var a, var b, var c] => (a, b, c),
                        _ => throw new InvalidOperationException("One result per target."),
                    };
                var row = new ThroughputRow(name, connections, apiResult, baseResult, withAuth);
                rows.Add(row);
                Console.WriteLine($"  {name,-38} c={connections,-3} api {apiResult.RequestsPerSecond,8:F0} req/s p99 {apiResult.LatencyMs.P99,7:F1} ms" +
                    (baseResult is null ? "" : $" | bare {baseResult.RequestsPerSecond,8:F0} req/s p99 {baseResult.LatencyMs.P99,7:F1} ms | ratio {row.Ratio:F2}") +
                    (withAuth is null ? "" : $" | bare+auth {withAuth.RequestsPerSecond,7:F0} req/s") +
                    (apiResult.Errors + (baseResult?.Errors ?? 0) > 0 ? $" | errors {apiResult.Errors}/{baseResult?.Errors ?? 0}" : ""));
                if (apiResult.Requests == 0 || baseResult is { Requests: 0 })
                    throw new InvalidOperationException($"{name} at {connections} connections: no request succeeded (errors {apiResult.Errors}/{baseResult?.Errors ?? 0}).");
            }
        return new ThroughputResult(rows, same, differences);
    }

    /// <summary>The pipeline and pipeline run to read: those of the orchestration benchmark, or new ones when it did not run.</summary>
    private static async Task<(Guid Pipeline, Guid Run)> Subjects(BenchContext ctx)
    {
        if (ctx.MainPipelineId is { } p && ctx.MainPipelineRunId is { } r) return (p, r);
        var api = ctx.Api;
        var projectId = ctx.ProjectId ??= await api.CreateProject($"bench-{ctx.Stamp}");
        var environmentId = ctx.EnvironmentId ??= await api.CreateCloudEnvironment($"bench-env-{ctx.Stamp}");
        var deployments = await api.CreateNetworkDeployments(projectId, environmentId, "net", ctx.Sizes.PipelineSteps);
        var pipelineId = await api.CreatePipeline($"bench-{ctx.Sizes.PipelineSteps}-steps", deployments);
        var run = IdOf(await api.PostJson($"/api/v1/pipelines/{pipelineId}/runs", null));
        await api.PostJson($"/api/v1/pipeline-runs/{run}/cancel", null);
        ctx.MainPipelineId = pipelineId;
        ctx.MainPipelineRunId = run;
        ctx.MainDeploymentId = deployments[0];
        return (pipelineId, run);
    }

    private static Guid IdOf(JsonNode node) => ApiClient.Id(node);

    /// <summary>One single-step pipeline per connection, so concurrent triggers never meet the one-active-run rule.</summary>
    private static async Task<Guid[]> TriggerPipelines(BenchContext ctx, int count)
    {
        var api = ctx.Api;
        var projectId = ctx.ProjectId ??= await api.CreateProject($"bench-{ctx.Stamp}");
        var environmentId = ctx.EnvironmentId ??= await api.CreateCloudEnvironment($"bench-env-{ctx.Stamp}");
        var deployments = await api.CreateNetworkDeployments(projectId, environmentId, "trigger", count);
        var pipelines = new Guid[count];
        await Parallel.ForEachAsync(Enumerable.Range(0, count), new ParallelOptions { MaxDegreeOfParallelism = 4 },
            async (i, _) => pipelines[i] = await api.CreatePipeline($"bench-trigger-{i + 1}", [deployments[i]]));
        return pipelines;
    }

    private static async Task<(bool Equal, string? Difference)> CompareJson(BenchContext ctx, string path)
    {
        using var apiClient = LoadClient.NewClient(ctx.ApiUrl, 1, ctx.Token);
        using var baseClient = LoadClient.NewClient(ctx.BaselineUrl, 1, null);
        var fromApi = JsonNode.Parse(await apiClient.GetStringAsync(path));
        var fromBase = JsonNode.Parse(await baseClient.GetStringAsync(path));
        if (JsonNode.DeepEquals(fromApi, fromBase)) return (true, null);
        var a = fromApi?.ToJsonString() ?? "";
        var b = fromBase?.ToJsonString() ?? "";
        var at = Enumerable.Range(0, Math.Min(a.Length, b.Length)).FirstOrDefault(i => a[i] != b[i]);
        return (false, $"first difference at char {at}: api …{Slice(a, at)}… vs baseline …{Slice(b, at)}…");
    }

    private static string Slice(string text, int at) => text.Substring(Math.Max(0, at - 40), Math.Min(120, text.Length - Math.Max(0, at - 40)));
}
