using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace Amnify.Harness.Reporting;

/// <summary>Turns the figures into the targets verdicts, the console table, and the .json + .md files.</summary>
public static class ReportWriter
{
    /// <summary>Issue 18's targets, each from figures measured against their baseline in this run.</summary>
    public static void CheckTargets(BenchReport report)
    {
        var t = report.Targets;
        if (report.Orchestration is { } o)
        {
            t.Add(new("pipeline ÷ bare Terraform", "≤ 0.90", F(o.Ratio, "F2"), o.Ratio <= 0.90));
            t.Add(new("dispatch p99", "≤ 20 ms", $"{F(o.DispatchMs.P99)} ms", o.DispatchMs.P99 <= 20));
            t.Add(new("approval → apply start p95", "≤ 50 ms", $"{F(o.ApplyPickupMs.P95)} ms", o.ApplyPickupMs.P95 <= 50));
        }
        else
            foreach (var name in new[] { "pipeline ÷ bare Terraform", "dispatch p99", "approval → apply start p95" })
                t.Add(new(name, "see issue 18", "not measured", null));
        if (report.Throughput is { } th)
        {
            foreach (var row in th.Rows.Where(r => r.Baseline is not null))
            {
                var wanted = row.Connections <= 1 ? 0.85 : row.Connections >= 64 ? 0.90 : (double?)null;
                var p99Ratio = row.Api.LatencyMs.P99 / row.Baseline!.LatencyMs.P99;
                t.Add(new($"{row.Endpoint} at {row.Connections} connection(s) ÷ bare",
                    wanted is { } w ? $"≥ {w:F2}, p99 ≤ 1.2 × bare p99" : "p99 ≤ 1.2 × bare p99",
                    $"{F(row.Ratio, "F2")}, p99 {F(row.Api.LatencyMs.P99)} ms = {F(p99Ratio, "F2")} × bare",
                    (wanted is null || row.Ratio >= wanted) && p99Ratio <= 1.2));
            }
        }
        else t.Add(new("API ÷ bare app", "≥ 0.85 at 1, ≥ 0.90 at 64, p99 ≤ 1.2 × bare", "not measured", null));
        if (report.Engine is { } e && e.Rows.Where(r => r.InFlight == 1_000 && r.Mode == "paced").MaxBy(r => r.RunsPerSecond) is { } best)
            t.Add(new("engine at 1,000 runs in flight (stub terraform)", "≥ 50 runs/s, dispatch p99 ≤ 100 ms",
                $"{F(best.RunsPerSecond)} runs/s, dispatch p99 {F(best.DispatchMs.P99)} ms ({best.Workers} worker(s))",
                best.RunsPerSecond >= 50 && best.DispatchMs.P99 <= 100));
        else t.Add(new("engine at 1,000 runs in flight (stub terraform)", "≥ 50 runs/s, dispatch p99 ≤ 100 ms", "not measured", null));
        if (report.Scale is { } sc)
            foreach (var row in sc.Rows)
                t.Add(new($"seeded/empty p95: {row.Endpoint}", "≤ 1.2", F(row.P95Ratio, "F2"), row.P95Ratio <= 1.2));
        else t.Add(new("seeded/empty p95", "≤ 1.2", "not measured", null));
        if (report.Spa is { } spa)
            t.Add(new("first-load JS (gzip)", "≤ 200 KB", $"{spa.FirstLoadGzipBytes / 1024.0:F1} KB", spa.FirstLoadGzipBytes <= 200 * 1024));
        else t.Add(new("first-load JS (gzip)", "≤ 200 KB", "not measured", null));
    }

    public static string Markdown(BenchReport r)
    {
        var md = new StringBuilder();
        var m = r.Machine;
        md.AppendLine($"# Amnify Deploy benchmarks — {r.StartedAtUtc} UTC ({r.Mode})");
        md.AppendLine();
        md.AppendLine($"Machine: {m.Cpus} CPUs ({m.CpuModel}), {m.MemoryGb:F1} GB RAM, {m.Os}; .NET {m.Dotnet}, {m.Terraform}, PostgreSQL {m.Postgres}. " +
                      $"Whole run: {r.TotalSeconds:F0} s. Every figure is compared with a baseline measured in the same run.");
        md.AppendLine();

        md.AppendLine("## Targets");
        md.AppendLine();
        md.AppendLine("| Target | Wanted | Measured | Met |");
        md.AppendLine("|---|---|---|---|");
        foreach (var t in r.Targets) md.AppendLine($"| {t.Name} | {t.Target} | {t.Value} | {(t.Met is null ? "—" : t.Met.Value ? "met" : "**not met**")} |");
        md.AppendLine();

        if (r.Orchestration is { } o)
        {
            md.AppendLine($"## 1. Orchestration overhead ({o.Steps}-step pipeline of aws-network deployments)");
            md.AppendLine();
            md.AppendLine("| Figure | Pipeline through the API | Bare Terraform (same run) | Ratio |");
            md.AppendLine("|---|---|---|---|");
            md.AppendLine($"| Total wall time | {Ms(o.PipelineWallMs)} (in the database: {Ms(o.PipelineDbMs)}) | {Ms(o.BareTotalMs)} | **{o.Ratio:F2}** |");
            md.AppendLine($"| Trigger → first plan ready | {Ms(o.TriggerToFirstPlanMs)} seen over SSE ({Ms(o.TriggerToFirstPlanDbMs)} in the database) | {Ms(o.BareFirstPlanMs)} (init + plan) | {o.TriggerToFirstPlanMs / o.BareFirstPlanMs:F2} |");
            md.AppendLine($"| Per step | {Ms(o.PipelineWallMs / o.Steps)} | {Ms(o.BareTotalMs / o.Steps)} (init {Ms(o.BareInitMs)}, plan {Ms(o.BarePlanMs)}, apply {Ms(o.BareApplyMs)}) | |");
            md.AppendLine();
            md.AppendLine($"Step-to-step dispatch (previous deployment run finished_at → next started_at, {o.DispatchMs.Count} samples): " +
                          $"p50 {F(o.DispatchMs.P50)} ms, p95 {F(o.DispatchMs.P95)} ms, p99 {F(o.DispatchMs.P99)} ms, max {F(o.DispatchMs.Max)} ms. " +
                          $"Apply approval → apply started ({o.ApplyPickupMs.Count} samples): p50 {F(o.ApplyPickupMs.P50)} ms, p95 {F(o.ApplyPickupMs.P95)} ms.");
            var firstPlans = r.Concurrency.SelectMany(c => c.TriggerToFirstPlanMs).ToList();
            if (firstPlans.Count > 0)
                md.AppendLine($"Trigger → first plan ready over the pipeline runs of 1b ({firstPlans.Count} runs, in the database): " +
                              $"p50 {F(Percentiles.Of(firstPlans).P50)} ms, p95 **{F(Percentiles.Of(firstPlans).P95)} ms**, against bare init + plan {Ms(o.BareFirstPlanMs)} " +
                              $"(ratio of p95 {F(Percentiles.Of(firstPlans).P95 / o.BareFirstPlanMs, "F2")}; those runs share the machine with each other).");
            md.AppendLine();
            var p = o.Phases;
            md.AppendLine($"Where a step's time goes (means from deployment_runs): dispatch {Ms(p.Dispatch)}, init (unless prepared) + plan + show -json {Ms(p.InitAndPlan)}, " +
                          $"plan approval wait {Ms(p.PlanApprovalWait)}, apply approval wait {Ms(p.ApplyApprovalWait)}, apply pick-up {Ms(p.ApplyPickup)}, " +
                          $"apply in the plan's directory {Ms(p.Apply)}. {o.PreparedSteps} of {o.Steps} steps started at plan in a directory prepared while " +
                          $"the step before ran. {o.Approvals} approvals given, {o.SseEvents} stream events received.");
            md.AppendLine();
            var e = o.EngineCliMeans;
            md.AppendLine($"The engine's own CLI calls for one run, run bare by the bench (means of {o.EngineCliSamples}): init {Ms(e.PlanInitMs)}, " +
                          $"plan {Ms(e.PlanMs)}, show -json {Ms(e.ShowJsonMs)} (Terraform's start-up alone, `terraform version`, takes {Ms(e.StartupMs)} of every call); then apply {Ms(e.ApplyMs)} in the same directory (outputs from the state) — " +
                          $"**{Ms(e.TotalMs)}** per run, {Ms(e.WithoutInitMs)} without the init a prepared step skips, against {Ms(o.BareTotalMs / o.Steps)} " +
                          $"for init/plan/apply. A step through the pipeline costs {Ms(o.PipelineWallMs / o.Steps)}: {Ms(o.PipelineWallMs / o.Steps - e.WithoutInitMs)} " +
                          $"more than its CLI calls without init, which is the engine (sandbox, database, log) and the approval round trips.");
            md.AppendLine();
        }
        if (r.Concurrency.Count > 0)
        {
            md.AppendLine("## 1b. Pipelines at once");
            md.AppendLine();
            md.AppendLine("| Runs | Worker processes | Pipelines × steps | Runs completed | Runs failed | Wall | Runs completed / minute | Dispatch p50 / p99 | Phases per worker |");
            md.AppendLine("|---|---|---|---|---|---|---|---|---|");
            foreach (var c in r.Concurrency)
                md.AppendLine($"| {c.Kind} | {c.Workers} | {c.Pipelines} × {c.StepsEach} | {c.RunsCompleted} | {c.RunsFailed} | {c.WallSeconds:F1} s | **{c.RunsPerMinute:F1}** | " +
                              $"{F(c.DispatchMs.P50)} / {F(c.DispatchMs.P99)} ms | {string.Join(", ", c.PhasesByWorker.Select(kv => $"{Short(kv.Key)}: {kv.Value}"))} |");
            md.AppendLine();
            foreach (var c in r.Concurrency.Where(c => c.RunsFailed > 0))
                md.AppendLine($"- {c.Kind}, {c.Workers} worker(s): {c.RunsFailed} deployment run(s) failed and {c.PipelinesNotCompleted} of {c.Pipelines} pipeline runs stopped; first error: `{c.FirstError}`");
            if (r.Concurrency.Any(c => c.RunsFailed > 0)) md.AppendLine();
        }
        if (r.Throughput is { } th)
        {
            md.AppendLine("## 2. API throughput and latency (closed loop, every request timed)");
            md.AppendLine();
            md.AppendLine("| Endpoint | Conns | API req/s | API p50 | API p99 | Bare req/s | Bare p50 | Bare p99 | API ÷ bare | Bare + token check req/s | API ÷ that |");
            md.AppendLine("|---|---|---|---|---|---|---|---|---|---|---|");
            foreach (var row in th.Rows)
                md.AppendLine($"| {row.Endpoint} | {row.Connections} | {row.Api.RequestsPerSecond:F0} | {F(row.Api.LatencyMs.P50)} | {F(row.Api.LatencyMs.P99)} | " +
                              (row.Baseline is { } b
                                  ? $"{b.RequestsPerSecond:F0} | {F(b.LatencyMs.P50)} | {F(b.LatencyMs.P99)} | **{row.Ratio:F2}**"
                                  : "— | — | — | —") +
                              (row.Api.Errors + (row.Baseline?.Errors ?? 0) > 0 ? $" (errors {row.Api.Errors}/{row.Baseline?.Errors ?? 0})" : "") +
                              $" | {(row.BaselineWithAuth is { } a ? $"{a.RequestsPerSecond:F0}" : "")} | {(row.RatioWithAuth is { } ra ? F(ra, "F2") : "")} |");
            md.AppendLine();
            md.AppendLine("Latencies in ms. The baseline is a bare minimal-API app (not the product) running the same SQL (read out of the API binary) with plain Npgsql " +
                          "(auto-prepare on, as the API has it) and writing the same JSON; it has no authentication. \"Bare + token check\" is the same app also " +
                          "running a database token check on every request (the API's token lookup, then its last-used UPDATE on a second connection), which is " +
                          "what the API did before it kept verified tokens in memory: the API ÷ that column shows what the cache buys. For each read the three " +
                          "take turns in five slices of the measurement, so a change in the machine's load falls on all three alike. The trigger + cancel pair " +
                          "counts as one operation and is measured on the API alone: the baseline serves only the reads. Same JSON as the API: " +
                          string.Join(", ", th.SameJson.Select(kv => $"{kv.Key} {(kv.Value ? "yes" : "**no**")}")) + ".");
            foreach (var d in th.JsonDifferences) md.AppendLine($"- {d}");
            md.AppendLine();
        }
        if (r.Scale is { } sc)
        {
            var s = sc.Sizes;
            md.AppendLine($"## 3. Scale: empty vs seeded database ({sc.Rows[0].Empty.Connections} connections)");
            md.AppendLine();
            md.AppendLine($"Both states measured right after VACUUM (ANALYZE) + CHECKPOINT ({sc.VacuumEmptySeconds:F0} s and {sc.VacuumSeededSeconds:F0} s). " +
                          $"Seeded with COPY in {sc.SeedSeconds:F0} s: {s.Pipelines:N0} pipelines ({s.StepsPerPipeline} steps, {s.RunsPerPipeline} runs each), " +
                          $"{s.Deployments:N0} deployments, {s.DeploymentRuns:N0} deployment runs, {s.LogLines:N0} log lines. " +
                          $"Rows now: {string.Join(", ", sc.RowCounts.Select(kv => $"{kv.Key} {kv.Value:N0}"))}. " +
                          $"Sizes: {string.Join(", ", sc.TableSizes.Select(kv => $"{kv.Key} {kv.Value}"))}.");
            md.AppendLine();
            md.AppendLine("| Endpoint | Empty p50 | Empty p95 | Seeded p50 | Seeded p95 | p95 seeded ÷ empty |");
            md.AppendLine("|---|---|---|---|---|---|");
            foreach (var row in sc.Rows)
                md.AppendLine($"| {row.Endpoint} | {F(row.Empty.LatencyMs.P50)} | {F(row.Empty.LatencyMs.P95)} | {F(row.Seeded.LatencyMs.P50)} | {F(row.Seeded.LatencyMs.P95)} | **{row.P95Ratio:F2}** |");
            var mr = sc.MachineReference;
            md.AppendLine($"| _{mr.Endpoint}_ | {F(mr.Empty.LatencyMs.P50)} | {F(mr.Empty.LatencyMs.P95)} | {F(mr.Seeded.LatencyMs.P50)} | {F(mr.Seeded.LatencyMs.P95)} | _{mr.P95Ratio:F2}_ |");
            md.AppendLine();
            md.AppendLine("The last row touches no database: when its ratio is far from 1, the machine itself was busier in one state than in the other.");
            md.AppendLine();
            md.AppendLine("The plans of every statement the API (and a worker's claim polls) ran for these requests, both states, as PostgreSQL's " +
                          $"auto_explain logged them (ANALYZE, BUFFERS; fastest of its runs): `{sc.ExplainFile}`.");
            md.AppendLine();
            md.AppendLine("| Statement (first request that ran it) | Empty: execution ms | Seeded: execution ms | Seq scans (seeded) |");
            md.AppendLine("|---|---|---|---|");
            foreach (var g in sc.Explains.GroupBy(e => e.Name))
            {
                var e = g.FirstOrDefault(x => x.State == "empty");
                var sd = g.FirstOrDefault(x => x.State == "seeded");
                md.AppendLine($"| {g.Key.Replace("|", "\\|")} | {F(e?.ExecutionMs ?? double.NaN, "F3")} | {F(sd?.ExecutionMs ?? double.NaN, "F3")} | " +
                              $"{string.Join(", ", sd?.SeqScans ?? [])} |");
            }
            md.AppendLine();
        }
        if (r.Spa is { } spa)
        {
            md.AppendLine("## 4. SPA");
            md.AppendLine();
            md.AppendLine($"First-load JS (what index.html references): **{spa.FirstLoadGzipBytes / 1024.0:F1} KB gzip**; all JS: {spa.TotalGzipBytes / 1024.0:F1} KB gzip.");
            md.AppendLine();
            md.AppendLine("| Chunk | Size | Gzip | First load |");
            md.AppendLine("|---|---|---|---|");
            foreach (var c in spa.Chunks) md.AppendLine($"| {c.File} | {c.Bytes / 1024.0:F1} KB | {c.GzipBytes / 1024.0:F1} KB | {(c.FirstLoad ? "yes" : "")} |");
            md.AppendLine();
            if (spa.RunView is { } l)
                md.AppendLine($"Run view in Chromium, a run's state change (cancel through the API) → shown in the open view, {l.Samples} samples: " +
                              $"p50 {F(l.FromRequestMs.P50)} ms / max {F(l.FromRequestMs.Max)} ms from sending the change " +
                              $"(p50 {F(l.FromAnswerMs.P50)} ms from its committed answer).");
            else md.AppendLine($"Run view latency in Chromium: skipped ({spa.RunViewSkipped}).");
            md.AppendLine();
        }
        if (r.Engine is { } en) EngineSection(md, en);
        if (r.Memory.Count > 0)
        {
            md.AppendLine("## 5. Memory (peak RSS, VmHWM)");
            md.AppendLine();
            md.AppendLine("| Process | Peak RSS |");
            md.AppendLine("|---|---|");
            foreach (var p in r.Memory) md.AppendLine($"| {p.Process} | {p.PeakRssMb:F0} MB |");
            md.AppendLine();
        }
        md.AppendLine("## Benchmarks run");
        md.AppendLine();
        foreach (var b in r.Outcomes)
            md.AppendLine($"- {b.Name}: {(b.Ran ? "ran" : "**failed**")} in {b.Seconds:F1} s{(b.Error is null ? "" : $" — {b.Error}")}" +
                          (b.LoadAverage is null ? "" : $" (load average after: {b.LoadAverage})"));
        if (r.Notes.Count > 0)
        {
            md.AppendLine();
            md.AppendLine("## Notes");
            md.AppendLine();
            foreach (var n in r.Notes) md.AppendLine($"- {n}");
        }
        return md.ToString();
    }

    private static void EngineSection(StringBuilder md, EngineResult e)
    {
        md.AppendLine("## 4b. Engine capacity, Terraform replaced by a stub (deployment runs through the whole lifecycle)");
        md.AppendLine();
        md.AppendLine($"Each run: trigger (API) → claim → init → plan → show → plan approval (API) → apply approval (API) → claim → init → apply → output → completed; " +
                      $"the stub answers each CLI call in about a millisecond. Workers are `--role worker` processes, each {e.ConcurrencyPerWorker} runs at once, " +
                      $"sandbox `{e.Sandbox}`; the API (role api) and PostgreSQL share the same 2 cores. **Paced**: plan approvals at {F(e.PacedRate, "F0")}/s, so the " +
                      "runs in flight wait at the plan gate as runs waiting for people do; **unpaced**: every gate approved at once (the ceiling). " +
                      "Dispatch = claimable → claimed (queued_at → started_at, apply_approved_at → apply_started_at). CPU in cores used during the window, from /proc. " +
                      $"Each window is measured after the approvals have flowed for {F(e.WarmupSeconds, "F0")} s: right after the settle no run is past the plan gate yet.");
        md.AppendLine();
        md.AppendLine("| In flight | Workers | Mode | Runs/s | Claims/s | Dispatch p50 / p99 | DB CPU | Workers CPU | API CPU | Machine busy | DB ms/run | Workers ms/run | API ms/run | Lock waits | LWLock waits | Ungranted locks (mean / max) |");
        md.AppendLine("|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|");
        foreach (var x in e.Rows)
            md.AppendLine($"| {x.InFlight:N0}{(x.Settled ? "" : "*")} | {x.Workers} | {x.Mode} | **{F(x.RunsPerSecond)}** | {F(x.ClaimsPerSecond)} | {F(x.DispatchMs.P50, "F0")} / {F(x.DispatchMs.P99, "F0")} ms | " +
                          $"{F(x.DbCpuCores, "F2")} | {F(x.WorkersCpuCores, "F2")} | {F(x.ApiCpuCores, "F2")} | {F(x.MachineBusyPercent, "F0")} % | {F(x.DbCpuMsPerRun)} | " +
                          $"{F(x.WorkersCpuMsPerRun)} | {F(x.ApiCpuMsPerRun)} | {F(x.LockWaitsMean)} | {F(x.LwLockWaitsMean)} | {F(x.UngrantedLocksMean)} / {x.UngrantedLocksMax} |");
        md.AppendLine();
        md.AppendLine("Where a completed run's time went (means, ms): queued → claimed / claimed → plan ready (init, plan, show) / plan approval wait / apply approval wait / apply pick-up / apply (init, apply, output):");
        md.AppendLine();
        foreach (var x in e.Rows)
        {
            var p = x.PhasesMs;
            md.AppendLine($"- {x.InFlight:N0} in flight, {x.Workers} worker(s), {x.Mode}: {F(p.Dispatch, "F0")} / {F(p.InitAndPlan, "F0")} / {F(p.PlanApprovalWait, "F0")} / " +
                          $"{F(p.ApplyApprovalWait, "F0")} / {F(p.ApplyPickup, "F0")} / {F(p.Apply, "F0")}");
        }
        md.AppendLine();
        if (e.Rows.Any(x => !x.Settled)) md.AppendLine("\\* not every run had reached the plan gate before the window: a backlog was still draining.");
        if (e.Failures > 0) md.AppendLine($"{e.Failures} run(s) or calls failed; first: `{e.FirstError}`");
        EngineStatements(md, e);
        // The ceiling: what one run costs each tier, from the unpaced window with the most runs per second.
        if (e.Rows.Where(x => x.Mode == "unpaced" && x.RunsCompleted > 0).MaxBy(x => x.RunsPerSecond) is { } top)
        {
            var db = top.DbCpuMsPerRun;
            var app = top.WorkersCpuMsPerRun + top.ApiCpuMsPerRun;
            double Ceiling(int machines, int coresEach, int dbCores) => Math.Min(machines * coresEach * 1000 / app, dbCores * 1000 / db);
            md.AppendLine();
            md.AppendLine($"Where it saturates: the best unpaced window ({top.InFlight:N0} in flight, {top.Workers} worker(s)) completed {F(top.RunsPerSecond)} runs/s with the machine " +
                          $"{F(top.MachineBusyPercent, "F0")} % busy: each run cost {F(db)} ms of PostgreSQL CPU and {F(app)} ms of worker + API CPU " +
                          $"({F(top.LockWaitsMean)} backends waiting on heavyweight locks and {F(top.LwLockWaitsMean)} on LWLocks on average), so in that window the CPU, " +
                          "shared by the database and the .NET processes, is the ceiling. With workers and API on N machines of 2 cores " +
                          "and PostgreSQL alone on its own (ceiling = min(N × 2 cores ÷ worker+API CPU per run, DB cores ÷ DB CPU per run), assuming the costs per run stay as measured):");
            md.AppendLine();
            md.AppendLine("| Machines for workers + API (2 cores each) | DB on 2 cores | DB on 8 cores | DB on 32 cores |");
            md.AppendLine("|---|---|---|---|");
            foreach (var n in new[] { 1, 2, 4, 8, 16 })
                md.AppendLine($"| {n} | {F(Ceiling(n, 2, 2), "F0")} runs/s | {F(Ceiling(n, 2, 8), "F0")} runs/s | {F(Ceiling(n, 2, 32), "F0")} runs/s |");
            // A lock no number of cores lifts: the one the windows with the most waiting backends waited on most.
            if (e.Rows.Where(x => x.Waits.Count > 0).MaxBy(x => x.Waits[0].MeanWaiting) is { } waited && waited.Waits[0].MeanWaiting >= 1)
            {
                md.AppendLine();
                md.AppendLine($"Not in that table: the lock waited on most was `{waited.Waits[0].On}`, {F(waited.Waits[0].MeanWaiting)} backends on average in the " +
                              $"{waited.InFlight:N0} in flight, {waited.Workers} worker(s), {waited.Mode} window." +
                              (waited.Waits[0].On.Contains("NOTIFY", StringComparison.Ordinal)
                                  ? " PostgreSQL holds it from a notifying transaction's pre-commit to the end of its commit, WAL flush included, so those commits run " +
                                    "one at a time on any number of cores or machines: the engine's rate is also capped at 1 ÷ (notifying commits per run × one commit's " +
                                    "time), e.g. 9 per run at 1 ms a commit ≈ 110 runs/s, at 2 ms ≈ 55."
                                  : ""));
            }
        }
        md.AppendLine();
    }

    /// <summary>
    /// What each run executes in PostgreSQL and what backends wait on: a line per window, then the statements by kind and
    /// the most called ones for the best unpaced window and for the window with the most lock waits.
    /// </summary>
    private static void EngineStatements(StringBuilder md, EngineResult e)
    {
        if (e.Rows.All(x => x.Statements.Count == 0)) return;
        md.AppendLine();
        md.AppendLine("Statements the API and workers ran per completed run (pg_stat_statements, top level; BEGIN/COMMIT and NOTIFY included) and what " +
                      "backends waited on (mean backends per sample: heavyweight locks by type, mode and relation; LWLocks by wait event):");
        md.AppendLine();
        foreach (var x in e.Rows)
        {
            var waits = x.Waits.Count == 0 ? "none" : string.Join(", ", x.Waits.Take(4).Select(w => $"{w.On} {F(w.MeanWaiting)}"));
            md.AppendLine($"- {x.InFlight:N0} in flight, {x.Workers} worker(s), {x.Mode}: {F(x.StatementsPerRun, "F0")} statements/run " +
                          $"({F(x.Statements.Sum(s => s.ExecMsPerRun))} ms executing); waiting on: {waits}");
        }
        var best = e.Rows.Where(x => x.Mode == "unpaced" && x.RunsCompleted > 0).MaxBy(x => x.RunsPerSecond);
        var locked = e.Rows.Where(x => x.RunsCompleted > 0).MaxBy(x => x.LockWaitsMean);
        foreach (var (title, x) in new[] { ("the best unpaced window", best), ("the window with the most lock waits", locked) }.DistinctBy(t => t.Item2))
        {
            if (x is null) continue;
            md.AppendLine();
            md.AppendLine($"By kind, {title} ({x.InFlight:N0} in flight, {x.Workers} worker(s), {x.Mode}, {F(x.RunsPerSecond)} runs/s): calls / ms executing per run");
            md.AppendLine();
            md.AppendLine("| Kind | Top level | Nested (triggers) |");
            md.AppendLine("|---|---|---|");
            foreach (var k in x.Statements.GroupBy(s => s.Kind).OrderByDescending(g => g.Sum(s => s.CallsPerRun)))
            {
                string Cell(bool top) => k.Where(s => s.TopLevel == top) is var part && part.Any()
                    ? $"{F(part.Sum(s => s.CallsPerRun))} / {F(part.Sum(s => s.ExecMsPerRun), "F2")}" : "";
                md.AppendLine($"| {k.Key} | {Cell(true)} | {Cell(false)} |");
            }
            md.AppendLine();
            md.AppendLine("The most called statements there (calls per run, ms executing per run):");
            md.AppendLine();
            foreach (var s in x.Statements.Take(15))
                md.AppendLine($"- {F(s.CallsPerRun, "F2")} × {(s.TopLevel ? "" : "(nested) ")}`{s.Text.Replace("`", "'")}` {F(s.ExecMsPerRun, "F2")} ms");
        }
    }

    /// <summary>The short table printed at the end of the run.</summary>
    public static string Console(BenchReport r)
    {
        var rows = new List<(string Figure, string Value, string Baseline, string Ratio)>();
        if (r.Orchestration is { } o)
        {
            rows.Add(($"{o.Steps}-step pipeline wall time", Ms(o.PipelineWallMs), Ms(o.BareTotalMs) + " bare", F(o.Ratio, "F2")));
            rows.Add(("trigger → first plan", Ms(o.TriggerToFirstPlanMs), Ms(o.BareFirstPlanMs) + " bare", F(o.TriggerToFirstPlanMs / o.BareFirstPlanMs, "F2")));
            rows.Add(("dispatch p50/p95/p99", $"{F(o.DispatchMs.P50)}/{F(o.DispatchMs.P95)}/{F(o.DispatchMs.P99)} ms", "", ""));
        }
        foreach (var c in r.Concurrency)
            rows.Add(($"{c.Kind}: {c.Pipelines} pipelines × {c.StepsEach}, {c.Workers} worker(s)", $"{c.RunsPerMinute:F1} runs/min" + (c.RunsFailed > 0 ? $" ({c.RunsFailed} failed)" : ""), "", ""));
        if (r.Throughput is { } th)
            foreach (var row in th.Rows)
                rows.Add(($"{row.Endpoint} c={row.Connections}", $"{row.Api.RequestsPerSecond:F0} req/s p99 {F(row.Api.LatencyMs.P99)} ms",
                    row.Baseline is { } b ? $"{b.RequestsPerSecond:F0} req/s p99 {F(b.LatencyMs.P99)} ms" : "", row.Baseline is null ? "" : F(row.Ratio, "F2")));
        if (r.Scale is { } sc)
            foreach (var row in sc.Rows)
                rows.Add(($"scale p95 {row.Endpoint}", $"{F(row.Seeded.LatencyMs.P95)} ms seeded", $"{F(row.Empty.LatencyMs.P95)} ms empty", F(row.P95Ratio, "F2")));
        if (r.Spa is { } spa)
        {
            rows.Add(("first-load JS gzip", $"{spa.FirstLoadGzipBytes / 1024.0:F1} KB", "", ""));
            if (spa.RunView is { } l) rows.Add(("run view shows a change", $"p50 {F(l.FromRequestMs.P50)} ms", "", ""));
        }
        if (r.Engine is { } en)
            foreach (var x in en.Rows)
                rows.Add(($"engine {x.InFlight} in flight, {x.Workers} worker(s), {x.Mode}", $"{F(x.RunsPerSecond)} runs/s dispatch p99 {F(x.DispatchMs.P99, "F0")} ms", "", ""));
        foreach (var p in r.Memory) rows.Add(($"peak RSS {p.Process}", $"{p.PeakRssMb:F0} MB", "", ""));

        var w1 = Math.Max(6, rows.Select(x => x.Figure.Length).DefaultIfEmpty(0).Max());
        var w2 = Math.Max(5, rows.Select(x => x.Value.Length).DefaultIfEmpty(0).Max());
        var w3 = Math.Max(8, rows.Select(x => x.Baseline.Length).DefaultIfEmpty(0).Max());
        var sb = new StringBuilder();
        sb.AppendLine($"{"Figure".PadRight(w1)}  {"Value".PadRight(w2)}  {"Baseline".PadRight(w3)}  Ratio");
        sb.AppendLine(new string('-', w1 + w2 + w3 + 13));
        foreach (var x in rows) sb.AppendLine($"{x.Figure.PadRight(w1)}  {x.Value.PadRight(w2)}  {x.Baseline.PadRight(w3)}  {x.Ratio}");
        sb.AppendLine();
        foreach (var t in r.Targets) sb.AppendLine($"target {(t.Met is null ? "n/a    " : t.Met.Value ? "met    " : "NOT MET")}  {t.Name}: {t.Value} (wanted {t.Target})");
        return sb.ToString();
    }

    public static string Json(BenchReport r) => JsonSerializer.Serialize(r, new JsonSerializerOptions
    {
        WriteIndented = true,
        PropertyNamingPolicy = JsonNamingPolicy.CamelCase,
        NumberHandling = JsonNumberHandling.AllowNamedFloatingPointLiterals,
    });

    private static string F(double value, string format = "F1") => double.IsNaN(value) ? "n/a" : value.ToString(format, CultureInfo.InvariantCulture);

    private static string Ms(double ms) => double.IsNaN(ms) ? "n/a" : ms >= 10_000 ? $"{ms / 1000:F1} s" : $"{ms:F0} ms";

    private static string Short(string worker) => worker.Length > 24 ? worker[..24] + "…" : worker;
}
