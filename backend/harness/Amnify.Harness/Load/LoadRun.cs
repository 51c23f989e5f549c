using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using Amnify.Harness.Infra;
using Amnify.Harness.Reporting;

namespace Amnify.Harness.Load;

public sealed record LoadOptions(int Seconds, int Clients, int Pipelines, bool Smoke);

/// <summary>
/// `make load`: many concurrent clients mixing reads, pipeline edits and step reorders with If-Match,
/// triggers with and without Idempotency-Key, cancels and approvals, against the API and two workers
/// as real processes. Checks: no 5xx, no lost update, never two active runs of a pipeline, one run per key.
/// </summary>
public sealed class LoadRun(Settings settings, LoadOptions options)
{
    /// <summary>A write with If-Match and what it answered.</summary>
    private sealed record Write(string Kind, int IfMatch, bool KnownStale, int Status, int? Version, Guid[]? Order);

    private sealed class Target
    {
        public required Guid Id { get; init; }
        public required int Index { get; init; }
        public int InitialVersion { get; set; }
        public Guid[] InitialOrder { get; set; } = [];
        public ConcurrentBag<Write> Writes { get; } = [];
    }

    private readonly ConcurrentDictionary<(string Op, int Code), int> answers = new();
    private readonly ConcurrentDictionary<string, int> exceptions = new();
    private readonly ConcurrentDictionary<string, ConcurrentBag<Guid>> keyed = new();
    private readonly ConcurrentDictionary<string, ConcurrentBag<double>> latencies = new();
    private readonly ConcurrentDictionary<string, string> twoActive = new();
    private readonly ConcurrentBag<string> serverErrors = [];
    private readonly ConcurrentBag<Guid> pipelineRunIds = [];
    private int samples;

    public async Task<int> Execute(CancellationToken cancel)
    {
        var stamp = DateTime.UtcNow.ToString("yyyyMMdd-HHmmss");
        var runDir = Path.Combine(settings.Repo, ".data/harness", $"{stamp}-load{(options.Smoke ? "-smoke" : "")}");
        var cluster = new Cluster(settings.Repo, settings.ApiDll, runDir, "amnify_load", workers: 2, leaseSeconds: 10);
        using var server = new HarnessServer(cluster.RecordDir);
        var checks = new List<(string Name, bool Ok, string Detail)>();
        var clock = Stopwatch.StartNew();
        var elapsed = TimeSpan.Zero;
        Console.WriteLine($"load: {options.Clients} clients for {options.Seconds} s over {options.Pipelines} pipelines; logs in {runDir}");
        try
        {
            await cluster.Start();
            using var api = new ApiClient(() => cluster.ApiUrl, cluster.Token, maxConnections: options.Clients + 16, timeout: TimeSpan.FromSeconds(60));
            var db = new Db(cluster.ConnectionString);
            var targets = await Setup(api, server, stamp);
            Console.WriteLine($"load: set up {targets.Count} pipelines × 3 steps in {clock.Elapsed.TotalSeconds:0.0} s; running");

            using var samplerStop = new CancellationTokenSource();
            var sampler = Sample(db, samplerStop.Token);
            var until = DateTime.UtcNow.AddSeconds(options.Seconds);
            var run = Stopwatch.StartNew();
            await Task.WhenAll(Enumerable.Range(0, options.Clients).Select(i => Client(api, targets, new Random(i * 7919 + 17), until, cancel)));
            elapsed = run.Elapsed;
            samplerStop.Cancel();
            await sampler;
            checks = await Check(api, db, targets);
        }
        catch (Exception e)
        {
            Console.WriteLine($"load: the harness failed: {e}");
            checks.Add(("harness completed", false, $"{e.GetType().Name}: {e.Message}"));
        }
        finally
        {
            await cluster.DisposeAsync();
            await cluster.StopPostgres();
        }

        var report = Report(checks, elapsed, stamp, runDir);
        var path = await ReportFile.Write(settings.Repo, "load", $"{stamp}-load{(options.Smoke ? "-smoke" : "")}.md", report);
        Console.WriteLine();
        Console.WriteLine(report);
        Console.WriteLine($"report: {Path.GetRelativePath(settings.Repo, path)}");
        var failed = checks.Count(c => !c.Ok);
        return ReportFile.Verdict(checks.Count - failed, failed);
    }

    private async Task<List<Target>> Setup(ApiClient api, HarnessServer server, string stamp)
    {
        var tag = $"l{stamp[9..]}";
        var project = await api.Post("/api/v1/projects", new { provider = "aws", name = $"{tag}-load" });
        var environment = await api.Post("/api/v1/cloud-environments", new
        {
            provider = "aws", name = $"{tag}-env", region = "us-east-1", accountId = "1", credentials = new Dictionary<string, string>(),
        });
        if (!project.Ok || !environment.Ok) throw new InvalidOperationException($"setup failed: {project.Text} {environment.Text}");
        var targets = new Target[options.Pipelines];
        await Parallel.ForEachAsync(Enumerable.Range(0, options.Pipelines), new ParallelOptions { MaxDegreeOfParallelism = 4 }, async (i, _) =>
        {
            var pipeline = await api.Post("/api/v1/pipelines", new { provider = "aws", name = $"{tag}-p{i:D2}", description = "load" });
            if (!pipeline.Ok) throw new InvalidOperationException($"pipeline: {pipeline.Text}");
            Answer last = pipeline;
            for (var s = 0; s < 3; s++)
            {
                var name = $"{tag}-p{i:D2}-d{s}";
                var deployment = await api.Post("/api/v1/deployments", new
                {
                    projectId = project.Id, templateId = "aws-recorder", cloudEnvironmentId = environment.Id, name,
                    variables = new Dictionary<string, object> { ["name"] = name, ["record_url"] = server.RecordUrl, ["generation"] = "1" },
                });
                if (!deployment.Ok) throw new InvalidOperationException($"deployment: {deployment.Text}");
                last = await api.Post($"/api/v1/pipelines/{pipeline.Id}/steps", new { deploymentId = deployment.Id });
                if (!last.Ok) throw new InvalidOperationException($"step: {last.Text}");
            }
            targets[i] = new Target
            {
                Id = pipeline.Id, Index = i, InitialVersion = Version(last.ETag) ?? 0, InitialOrder = Order(last.Body),
            };
        });
        return [.. targets];
    }

    private static int? Version(string? etag) =>
        etag is null ? null : int.TryParse(etag.Replace("W/", "").Trim('"'), out var v) ? v : null;

    private static Guid[] Order(JsonNode? pipeline) =>
        pipeline?["steps"]?.AsArray().Select(s => Guid.Parse(s!["id"]!.GetValue<string>())).ToArray() ?? [];

    /// <summary>One client: picks an operation by weight, again and again, until the time is up.</summary>
    private async Task Client(ApiClient api, List<Target> targets, Random random, DateTime until, CancellationToken cancel)
    {
        await Task.Delay(random.Next(0, 200));
        while (DateTime.UtcNow < until && !cancel.IsCancellationRequested)
        {
            var target = targets[random.Next(targets.Count)];
            var roll = random.Next(100);
            try
            {
                if (roll < 35) await Read(api, target, random);
                else if (roll < 50) await Edit(api, target, random);
                else if (roll < 65) await Reorder(api, target, random);
                else if (roll < 77) await Trigger(api, target, random);
                else if (roll < 82) await Cancel(api, target);
                else await Approve(api, target);
            }
            catch (Exception e) when (e is HttpRequestException or TaskCanceledException or IOException)
            {
                exceptions.AddOrUpdate(e.GetType().Name + ": " + e.Message[..Math.Min(80, e.Message.Length)], 1, (_, n) => n + 1);
            }
        }
    }

    private async Task<Answer> Call(string op, Func<Task<Answer>> call)
    {
        var clock = Stopwatch.StartNew();
        var answer = await call();
        latencies.GetOrAdd(op, _ => []).Add(clock.Elapsed.TotalMilliseconds);
        answers.AddOrUpdate((op, answer.Code), 1, (_, n) => n + 1);
        if (answer.Code >= 500) serverErrors.Add($"{op} → {answer.Code}: {answer.Text[..Math.Min(300, answer.Text.Length)]}");
        return answer;
    }

    private async Task Read(ApiClient api, Target target, Random random)
    {
        var runs = pipelineRunIds.ToArray();
        switch (random.Next(5))
        {
            case 0: await Call("GET /pipelines", () => api.Get("/api/v1/pipelines?provider=aws&limit=20")); break;
            case 1: await Call("GET /deployments", () => api.Get("/api/v1/deployments?provider=aws&limit=20")); break;
            case 2: await Call("GET /pipelines/{id}", () => api.Get($"/api/v1/pipelines/{target.Id}")); break;
            case 3: await Call("GET /pipelines/{id}/runs", () => api.Get($"/api/v1/pipelines/{target.Id}/runs?limit=10")); break;
            default:
                if (runs.Length == 0) goto case 0;
                var run = await Call("GET /pipeline-runs/{id}", () => api.Get($"/api/v1/pipeline-runs/{runs[random.Next(runs.Length)]}"));
                var step = run.Body?["steps"]?.AsArray().FirstOrDefault(s => s?["deploymentRunId"] is not null);
                if (step?["deploymentRunId"]?.GetValue<string>() is { } runId)
                    await Call("GET /deployment-runs/{id}", () => api.Get($"/api/v1/deployment-runs/{runId}"));
                break;
        }
    }

    /// <summary>GET → ETag → PATCH {description} with If-Match (one in ten deliberately one version behind).</summary>
    private async Task Edit(ApiClient api, Target target, Random random)
    {
        var current = await Call("GET /pipelines/{id}", () => api.Get($"/api/v1/pipelines/{target.Id}"));
        if (Version(current.ETag) is not { } version) return;
        var stale = random.Next(10) == 0 && version > 1;
        var ifMatch = stale ? version - 1 : version;
        var answer = await Call("PATCH /pipelines/{id}", () => api.Send(HttpMethod.Patch, $"/api/v1/pipelines/{target.Id}",
            new { description = $"edited by load {Guid.NewGuid():N}" }, ifMatch: $"\"{ifMatch}\""));
        target.Writes.Add(new Write("edit", ifMatch, stale, answer.Code, answer.Ok ? Version(answer.ETag) : null, answer.Ok ? Order(answer.Body) : null));
    }

    /// <summary>GET → ETag → PUT steps/order (a random permutation) with If-Match.</summary>
    private async Task Reorder(ApiClient api, Target target, Random random)
    {
        var current = await Call("GET /pipelines/{id}", () => api.Get($"/api/v1/pipelines/{target.Id}"));
        if (Version(current.ETag) is not { } version) return;
        var order = Order(current.Body).OrderBy(_ => random.Next()).ToArray();
        var stale = random.Next(10) == 0 && version > 1;
        var ifMatch = stale ? version - 1 : version;
        var answer = await Call("PUT /pipelines/{id}/steps/order", () => api.Send(HttpMethod.Put, $"/api/v1/pipelines/{target.Id}/steps/order",
            new { stepIds = order }, ifMatch: $"\"{ifMatch}\""));
        target.Writes.Add(new Write("reorder", ifMatch, stale, answer.Code, answer.Ok ? Version(answer.ETag) : null, answer.Ok ? Order(answer.Body) : null));
    }

    /// <summary>POST runs, half with an Idempotency-Key drawn from a small pool per pipeline (so keys are replayed).</summary>
    private async Task Trigger(ApiClient api, Target target, Random random)
    {
        var key = random.Next(2) == 0 ? $"load-{target.Index}-{random.Next(6)}" : null;
        var answer = await Call(key is null ? "POST /pipelines/{id}/runs" : "POST /pipelines/{id}/runs (key)",
            () => api.Post($"/api/v1/pipelines/{target.Id}/runs", null, key));
        if (answer.Status is HttpStatusCode.Accepted or HttpStatusCode.OK && answer.Body?["id"] is not null)
        {
            pipelineRunIds.Add(answer.Id);
            if (key is not null) keyed.GetOrAdd($"{target.Id}/{key}", _ => []).Add(answer.Id);
        }
    }

    private async Task Cancel(ApiClient api, Target target)
    {
        var pipeline = await Call("GET /pipelines/{id}", () => api.Get($"/api/v1/pipelines/{target.Id}"));
        if (pipeline.Body?["activeRunId"]?.GetValue<string>() is not { } runId) return;
        await Call("POST /pipeline-runs/{id}/cancel", () => api.Post($"/api/v1/pipeline-runs/{runId}/cancel"));
    }

    private async Task Approve(ApiClient api, Target target)
    {
        var pipeline = await Call("GET /pipelines/{id}", () => api.Get($"/api/v1/pipelines/{target.Id}"));
        if (pipeline.Body?["activeRunId"]?.GetValue<string>() is not { } pipelineRunId) return;
        var run = await Call("GET /pipeline-runs/{id}", () => api.Get($"/api/v1/pipeline-runs/{pipelineRunId}"));
        var step = run.Body?["steps"]?.AsArray().FirstOrDefault(s => s?["status"]?.GetValue<string>() == "running");
        var gate = step?["deploymentRunStatus"]?.GetValue<string>() switch
        {
            "awaitingPlanApproval" => "approve-plan",
            "awaitingApplyApproval" => "approve-apply",
            _ => null,
        };
        if (gate is null || step?["deploymentRunId"]?.GetValue<string>() is not { } runId) return;
        await Call($"POST /deployment-runs/{{id}}/{gate}", () => api.Post($"/api/v1/deployment-runs/{runId}/{gate}"));
    }

    private async Task Sample(Db db, CancellationToken stop)
    {
        const string sql = """
            SELECT pipeline_id::text FROM pipeline_runs WHERE status IN ('queued', 'running', 'awaitingApproval') GROUP BY 1 HAVING count(*) > 1
            """;
        while (!stop.IsCancellationRequested)
        {
            if (await db.TryQuery<string>(sql) is { } rows)
            {
                Interlocked.Increment(ref samples);
                foreach (var id in rows) twoActive.TryAdd(id, $"pipeline {id} had two active runs at {DateTime.UtcNow:HH:mm:ss.fff}");
            }
            try { await Task.Delay(100, stop); } catch (OperationCanceledException) { }
        }
    }

    private async Task<List<(string, bool, string)>> Check(ApiClient api, Db db, List<Target> targets)
    {
        var checks = new List<(string, bool, string)>();
        var fiveXx = answers.Where(a => a.Key.Code >= 500).Sum(a => a.Value);
        checks.Add(("zero 5xx", fiveXx == 0, fiveXx == 0 ? "none" : $"{fiveXx}: {string.Join(" | ", serverErrors.Take(5))}"));

        var staleAccepted = new List<string>();
        var spurious412 = new List<string>();
        var unaccounted = new List<string>();
        var orderLost = new List<string>();
        int accepted = 0, refused = 0, knownStale = 0;
        foreach (var t in targets)
        {
            var final = await api.Get($"/api/v1/pipelines/{t.Id}");
            var finalVersion = Version(final.ETag) ?? -1;
            var finalOrder = Order(final.Body);
            var writes = t.Writes.ToList();
            var ok = writes.Where(w => w.Status == 200).ToList();
            accepted += ok.Count;
            refused += writes.Count(w => w.Status == 412);
            knownStale += writes.Count(w => w.KnownStale);
            foreach (var w in ok.Where(w => w.Version != w.IfMatch + 1))
                staleAccepted.Add($"pipeline {t.Index}: {w.Kind} with If-Match \"{w.IfMatch}\" answered 200 with version {w.Version} (expected {w.IfMatch + 1}: it was applied over a newer version)");
            foreach (var w in writes.Where(w => w.KnownStale && w.Status != 412))
                staleAccepted.Add($"pipeline {t.Index}: {w.Kind} with a known-stale If-Match \"{w.IfMatch}\" answered {w.Status}");
            foreach (var w in writes.Where(w => w.Status == 412 && finalVersion <= w.IfMatch))
                spurious412.Add($"pipeline {t.Index}: {w.Kind} with If-Match \"{w.IfMatch}\" answered 412 but the version never moved past it (final {finalVersion})");
            foreach (var dup in ok.GroupBy(w => w.Version).Where(g => g.Count() > 1))
                staleAccepted.Add($"pipeline {t.Index}: {dup.Count()} accepted writes answered the same version {dup.Key}");
            if (finalVersion != t.InitialVersion + ok.Count)
                unaccounted.Add($"pipeline {t.Index}: {ok.Count} accepted writes from version {t.InitialVersion}, but the final version is {finalVersion}");
            var lastAccepted = ok.OrderByDescending(w => w.Version).FirstOrDefault();
            var expectedOrder = lastAccepted?.Order ?? t.InitialOrder;
            if (!finalOrder.SequenceEqual(expectedOrder))
                orderLost.Add($"pipeline {t.Index}: final order differs from the last accepted answer (version {lastAccepted?.Version})");
        }
        checks.Add(("every stale If-Match got 412", staleAccepted.Count == 0,
            staleAccepted.Count == 0 ? $"{accepted} writes accepted, {refused} refused with 412 ({knownStale} sent deliberately stale)" : string.Join(" | ", staleAccepted.Take(10))));
        checks.Add(("412 only when stale", spurious412.Count == 0, spurious412.Count == 0 ? "every 412 had a newer version behind it" : string.Join(" | ", spurious412.Take(10))));
        checks.Add(("every accepted write counted once in the version", unaccounted.Count == 0,
            unaccounted.Count == 0 ? "final version = initial + accepted writes, for every pipeline" : string.Join(" | ", unaccounted.Take(10))));
        checks.Add(("final order = last accepted order", orderLost.Count == 0,
            orderLost.Count == 0 ? $"{targets.Count} pipelines checked" : string.Join(" | ", orderLost.Take(10))));

        checks.Add(("never two active runs of a pipeline", twoActive.IsEmpty,
            twoActive.IsEmpty ? $"{samples} samples of the database, every 100 ms" : string.Join(" | ", twoActive.Values.Take(10))));

        var split = keyed.Where(k => k.Value.Distinct().Count() > 1).ToList();
        var duplicatesInDb = await db.Query<string>("""
            SELECT pipeline_id::text || '/' || idempotency_key FROM pipeline_runs WHERE idempotency_key IS NOT NULL GROUP BY pipeline_id, idempotency_key HAVING count(*) > 1
            """);
        var keyedRequests = keyed.Sum(k => k.Value.Count);
        checks.Add(("one run per idempotency key", split.Count == 0 && duplicatesInDb.Count == 0,
            split.Count == 0 && duplicatesInDb.Count == 0
                ? $"{keyed.Count} keys, {keyedRequests} successful keyed triggers, each key always answered the same run"
                : string.Join(" | ", split.Take(5).Select(k => $"{k.Key} → {string.Join(", ", k.Value.Distinct())}").Concat(duplicatesInDb.Take(5)))));
        return checks;
    }

    private string Report(List<(string Name, bool Ok, string Detail)> checks, TimeSpan elapsed, string stamp, string runDir)
    {
        var s = new StringBuilder();
        var total = answers.Sum(a => a.Value);
        var errors = exceptions.Sum(e => e.Value);
        s.AppendLine($"# Load {(options.Smoke ? "smoke " : "")}run {stamp}");
        s.AppendLine();
        s.AppendLine($"- {options.Clients} concurrent clients for {elapsed.TotalSeconds:0.0} s over {options.Pipelines} pipelines × 3 recorder deployments; API `--role api` + 2 workers + PostgreSQL as processes");
        s.AppendLine($"- **requests: {total}** ({(elapsed.TotalSeconds > 0 ? total / elapsed.TotalSeconds : 0):0} /s), transport errors: {errors}");
        s.AppendLine($"- answers by status: {string.Join(", ", answers.GroupBy(a => a.Key.Code).OrderBy(g => g.Key).Select(g => $"{g.Key} ×{g.Sum(a => a.Value)}"))}");
        s.AppendLine($"- logs: `{Path.GetRelativePath(settings.Repo, runDir)}`");
        s.AppendLine();
        s.AppendLine("## Checks");
        foreach (var (name, ok, detail) in checks) s.AppendLine($"- {(ok ? "PASS" : "**FAIL**")} {name}: {detail}");
        s.AppendLine();
        s.AppendLine("## Requests by operation");
        s.AppendLine("| operation | requests | answers | p50 ms | p95 ms | p99 ms |");
        s.AppendLine("|---|---|---|---|---|---|");
        foreach (var op in answers.Keys.Select(k => k.Op).Distinct().Order())
        {
            var codes = answers.Where(a => a.Key.Op == op).OrderBy(a => a.Key.Code).ToList();
            var l = latencies.GetValueOrDefault(op)?.Order().ToArray() ?? [];
            s.AppendLine($"| {op} | {codes.Sum(c => c.Value)} | {string.Join(", ", codes.Select(c => $"{c.Key.Code} ×{c.Value}"))} | {P(l, 0.50):0} | {P(l, 0.95):0} | {P(l, 0.99):0} |");
        }
        if (errors > 0)
        {
            s.AppendLine();
            s.AppendLine("## Transport errors");
            foreach (var (e, n) in exceptions.OrderByDescending(e => e.Value)) s.AppendLine($"- ×{n} {e}");
        }
        return s.ToString();
    }

    private static double P(double[] sorted, double q) => sorted.Length == 0 ? 0 : sorted[Math.Min(sorted.Length - 1, (int)(q * sorted.Length))];
}
