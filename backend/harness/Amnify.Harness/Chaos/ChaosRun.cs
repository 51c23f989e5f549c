using System.Collections.Concurrent;
using System.Diagnostics;
using System.Text;
using Amnify.Harness.Infra;
using Amnify.Harness.Reporting;

namespace Amnify.Harness.Chaos;

public sealed record ChaosOptions(int Trials, int Parallel, int Seed, bool Smoke, int LeaseSeconds);

/// <summary>
/// `make chaos` / `make chaos-smoke`: PostgreSQL, the API and two workers as real processes; trials of
/// pipelines over recorder deployments with one fault each; the invariants after each; a report.
/// </summary>
public sealed class ChaosRun(Settings settings, ChaosOptions options)
{
    private readonly ConcurrentDictionary<string, string> globalViolations = new();

    public async Task<int> Execute(CancellationToken cancel)
    {
        var stamp = DateTime.UtcNow.ToString("yyyyMMdd-HHmmss");
        var runDir = Path.Combine(settings.Repo, ".data/harness", $"{stamp}-chaos{(options.Smoke ? "-smoke" : "")}");
        var cluster = new Cluster(settings.Repo, settings.ApiDll, runDir, "amnify_chaos", workers: 2, options.LeaseSeconds);
        var results = new List<TrialResult>();
        var clock = Stopwatch.StartNew();
        ChaosContext? context = null;
        using var server = new HarnessServer(cluster.RecordDir);
        var (caught, planted, missed) = SelfCheck.Run();
        Console.WriteLine($"chaos: invariant self-check: {caught}/{planted} planted cases judged right");
        foreach (var m in missed) Console.WriteLine($"      SELF-CHECK: {m}");
        if (missed.Count > 0) globalViolations.TryAdd("self-check", $"the invariants missed planted cases: {string.Join(" | ", missed)}");
        Console.WriteLine($"chaos: {options.Trials} trials, {options.Parallel} at a time, seed {options.Seed}, lease {options.LeaseSeconds} s; logs in {runDir}");
        try
        {
            await cluster.Start();
            Console.WriteLine($"chaos: PostgreSQL :{cluster.Postgres.Port}, API {cluster.ApiUrl} (pid {cluster.Api!.Pid}), workers pids {string.Join(", ", cluster.Workers.Select(w => w!.Pid))} — up in {clock.Elapsed.TotalSeconds:0.0} s");
            var api = new ApiClient(() => cluster.ApiUrl, cluster.Token);
            var db = new Db(cluster.ConnectionString);
            var templates = await ApiClient.Retry(() => api.Get("/api/v1/templates/aws-recorder"), TimeSpan.FromSeconds(30));
            if (!templates.Ok) throw new InvalidOperationException($"the recorder template was not synced: {templates.Code} {templates.Text}");
            var tag = $"c{stamp[9..]}";
            var project = await api.Post("/api/v1/projects", new { provider = "aws", name = $"{tag}-chaos" });
            var environment = await api.Post("/api/v1/cloud-environments", new
            {
                provider = "aws", name = $"{tag}-env", region = "us-east-1", accountId = "1", credentials = new Dictionary<string, string>(),
            });
            if (!project.Ok || !environment.Ok) throw new InvalidOperationException($"setup failed: {project.Text} {environment.Text}");
            context = new ChaosContext
            {
                Cluster = cluster, Api = api, Db = db, Faults = new FaultInjector(cluster, db),
                ProjectId = project.Id, EnvironmentId = environment.Id, RunTag = tag, Smoke = options.Smoke, Server = server,
            };

            var random = new Random(options.Seed);
            var pool = options.Smoke ? FaultKind.Smoke : FaultKind.All.OrderBy(_ => random.Next()).ToArray();
            var kinds = Enumerable.Range(0, options.Trials).Select(i => pool[i % pool.Length]).ToArray();
            using var samplerStop = new CancellationTokenSource();
            var sampler = Sample(db, samplerStop.Token);

            var next = 0;
            var printLock = new object();
            async Task Lane()
            {
                while (!cancel.IsCancellationRequested)
                {
                    var i = Interlocked.Increment(ref next) - 1;
                    if (i >= kinds.Length) return;
                    int seed;
                    lock (random) seed = random.Next();
                    var result = await new Trial(i + 1, kinds[i], context, new Random(seed)).Run();
                    lock (printLock)
                    {
                        if (cancel.IsCancellationRequested) return;
                        results.Add(result);
                        Console.WriteLine(Line(result, kinds.Length));
                        foreach (var v in result.Violations) Console.WriteLine($"      VIOLATION: {v}");
                    }
                }
            }
            var lanes = Task.WhenAll(Enumerable.Range(0, options.Parallel).Select(_ => Lane()));
            // Ctrl-C or SIGTERM: do not wait for the trials in flight; the finally below stops every process.
            await Task.WhenAny(lanes, Task.Delay(Timeout.Infinite, cancel));
            if (cancel.IsCancellationRequested) Console.WriteLine("chaos: interrupted; stopping the processes");
            samplerStop.Cancel();
            await sampler;
            api.Dispose();
        }
        catch (Exception e)
        {
            Console.WriteLine($"chaos: the harness failed: {e}");
            globalViolations.TryAdd("harness", $"the harness failed before finishing: {e.GetType().Name}: {e.Message}");
        }
        finally
        {
            await cluster.DisposeAsync();
            await cluster.StopPostgres();
        }

        results.Sort((a, b) => a.Number.CompareTo(b.Number));
        var violations = results.Sum(r => r.Violations.Count) + globalViolations.Count;
        // Trials that never ran (interrupted, or the harness failed) count as failed: nothing was proven for them.
        var notRun = Math.Max(0, options.Trials - results.Count);
        var failed = results.Count(r => r.Violations.Count > 0) + (globalViolations.IsEmpty ? 0 : 1) + notRun;
        var passed = results.Count(r => r.Violations.Count == 0);
        var report = Report(results, context, runDir, clock.Elapsed, stamp);
        var path = await ReportFile.Write(settings.Repo, "chaos", $"{stamp}-chaos{(options.Smoke ? "-smoke" : "")}.md", report);

        Console.WriteLine();
        foreach (var (key, v) in globalViolations) Console.WriteLine($"VIOLATION ({key}): {v}");
        if (context is { } c && !c.ServerErrors.IsEmpty) Console.WriteLine($"5xx answers seen while faults struck (retried): {c.ServerErrors.Count}");
        Console.WriteLine($"report: {Path.GetRelativePath(settings.Repo, path)} ({clock.Elapsed.TotalSeconds:0} s)");
        if (notRun > 0) Console.WriteLine($"{notRun} trial(s) did not run");
        Console.WriteLine($"trials: {results.Count}, violations: {violations}");
        return ReportFile.Verdict(passed, failed);
    }

    private static string Line(TrialResult r, int total) =>
        $"[{r.Number:D2}/{total}] {r.Kind,-28} {(r.Violations.Count == 0 ? "ok" : $"{r.Violations.Count} VIOLATION(S)"),-16} {r.Took.TotalSeconds,5:0.0} s  fault: {r.Fault}; runs: {r.Outcome}";

    /// <summary>While trials run: no pipeline with two active runs and no deployment whose lock two runs hold, at any moment.</summary>
    private async Task Sample(Db db, CancellationToken stop)
    {
        const string twoActive = """
            SELECT pipeline_id::text FROM pipeline_runs WHERE status IN ('queued', 'running', 'awaitingApproval') GROUP BY 1 HAVING count(*) > 1
            """;
        const string twoLocks = """
            SELECT deployment_id::text FROM deployment_runs
            WHERE status IN ('initializing', 'planning', 'awaitingPlanApproval', 'awaitingApplyApproval', 'applying', 'destroying')
            GROUP BY 1 HAVING count(*) > 1
            """;
        while (!stop.IsCancellationRequested)
        {
            foreach (var id in await db.TryQuery<string>(twoActive) ?? [])
                globalViolations.TryAdd($"two-active:{id}", $"pipeline {id} had two active runs at {DateTime.UtcNow:HH:mm:ss.fff}");
            foreach (var id in await db.TryQuery<string>(twoLocks) ?? [])
                globalViolations.TryAdd($"two-locks:{id}", $"deployment {id} had two runs holding its lock at {DateTime.UtcNow:HH:mm:ss.fff}");
            try { await Task.Delay(250, stop); } catch (OperationCanceledException) { }
        }
    }

    private string Report(List<TrialResult> results, ChaosContext? context, string runDir, TimeSpan took, string stamp)
    {
        var s = new StringBuilder();
        var violations = results.Sum(r => r.Violations.Count) + globalViolations.Count;
        s.AppendLine($"# Chaos {(options.Smoke ? "smoke " : "")}run {stamp}");
        s.AppendLine();
        s.AppendLine($"- trials: {results.Count} (asked {options.Trials}), {options.Parallel} at a time, seed {options.Seed}; took {took.TotalMinutes:0.0} min");
        s.AppendLine($"- **violations: {violations}** ({results.Count(r => r.Violations.Count > 0)} trials with violations{(globalViolations.IsEmpty ? "" : $", {globalViolations.Count} found by the sampler")})");
        s.AppendLine($"- invariant self-check (planted violations in synthetic evidence, and a clean case): {(globalViolations.ContainsKey("self-check") ? "FAILED" : "all judged right")}");
        s.AppendLine($"- processes: PostgreSQL (.data/pg-chaos, port 5499, fresh database amnify_chaos), API `--role api`, 2 × `--role worker`; Engine__LeaseSeconds={options.LeaseSeconds}");
        s.AppendLine($"- logs of every process and the record files: `{Path.GetRelativePath(settings.Repo, runDir)}`");
        if (context is not null)
        {
            s.AppendLine($"- faults struck: {string.Join(", ", context.Faults.Struck.OrderBy(k => k.Key).Select(k => $"{k.Key} ×{k.Value}"))}");
            s.AppendLine($"- 5xx answers while faults struck (retried by the harness, not counted as violations): {context.ServerErrors.Count}");
            s.AppendLine($"- workers restarted by the harness after a trial found the engine stuck: {context.Faults.Healed} time(s)");
        }
        s.AppendLine();
        s.AppendLine("Invariants checked after each trial: every pipeline run final within the deadline (a failed or cancelled one is re-triggered and must run again); at most one record line per run, each from a run with apply_started_at, plan_approved_at and apply_approved_at set and of that run's generation; every completed execute recorded; no step started twice or lost, steps in order and consistent with their runs and pipeline run; at most one lock holder per deployment and none once all is final; Terraform state (tfstate_<deployment>.states) matches the last run that changed it. Sampled every 250 ms during the run: no pipeline with two active runs, no deployment with two lock holders.");
        s.AppendLine();
        s.AppendLine("| # | fault | result | s | what struck | runs |");
        s.AppendLine("|---|---|---|---|---|---|");
        foreach (var r in results)
            s.AppendLine($"| {r.Number} | {r.Kind} | {(r.Violations.Count == 0 ? "ok" : $"**{r.Violations.Count} violation(s)**")} | {r.Took.TotalSeconds:0.0} | {Cell(r.Fault)} | {Cell(r.Outcome)} |");
        if (violations > 0)
        {
            s.AppendLine();
            s.AppendLine("## Violations");
            foreach (var r in results.Where(r => r.Violations.Count > 0))
                foreach (var v in r.Violations) s.AppendLine($"- trial {r.Number} ({r.Kind}): {v}");
            foreach (var (_, v) in globalViolations) s.AppendLine($"- sampler: {v}");
        }
        var notes = results.SelectMany(r => r.Notes.Select(n => $"- trial {r.Number} ({r.Kind}): {n}")).ToList();
        if (notes.Count > 0)
        {
            s.AppendLine();
            s.AppendLine("## Expected outcomes (runs failed by the faults)");
            foreach (var n in notes) s.AppendLine(n);
        }
        if (context is not null && !context.ServerErrors.IsEmpty)
        {
            s.AppendLine();
            s.AppendLine("## 5xx answers seen while faults struck");
            foreach (var g in context.ServerErrors.GroupBy(e => e).OrderByDescending(g => g.Count()).Take(10))
                s.AppendLine($"- ×{g.Count()} `{g.Key.Replace('`', '\'')}`");
        }
        return s.ToString();
    }

    private static string Cell(string text) => text.Replace("|", "\\|").Replace("\n", " ");
}
