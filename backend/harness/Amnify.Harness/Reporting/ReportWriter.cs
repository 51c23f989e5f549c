using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace Amnify.Harness.Reporting;

/// <summary>Turns the figures into the targets verdicts, the console table, and the .json + .md files.</summary>
public static class ReportWriter
{
    public static void CheckTargets(BenchReport report)
    {
        var t = report.Targets;
        if (report.Orchestration is { } o)
        {
            t.Add(new("pipeline / bare Terraform", "≤ 1.05", F(o.Ratio, "F2"), o.Ratio <= 1.05));
            t.Add(new("dispatch p99", "≤ 100 ms", $"{F(o.DispatchMs.P99)} ms", o.DispatchMs.P99 <= 100));
        }
        else
        {
            t.Add(new("pipeline / bare Terraform", "≤ 1.05", "not measured", null));
            t.Add(new("dispatch p99", "≤ 100 ms", "not measured", null));
        }
        if (report.Throughput is { } th)
        {
            var max = th.Rows.Max(r => r.Connections);
            foreach (var row in th.Rows.Where(r => r.Connections == max && r.Endpoint.StartsWith("GET", StringComparison.Ordinal)))
                t.Add(new($"{row.Endpoint} at {max} connections", "≥ 60 % of baseline req/s, p99 ≤ 25 ms",
                    $"{row.Ratio * 100:F0} %, p99 {F(row.Api.LatencyMs.P99)} ms (baseline's own p99: {F(row.Baseline?.LatencyMs.P99 ?? double.NaN)} ms)",
                    row.Ratio >= 0.60 && row.Api.LatencyMs.P99 <= 25));
        }
        else t.Add(new("GET endpoints at 64 connections", "≥ 60 % of baseline req/s, p99 ≤ 25 ms", "not measured", null));
        if (report.Scale is { } sc)
            foreach (var row in sc.Rows)
                t.Add(new($"seeded/empty p95: {row.Endpoint}", "≤ 1.2", F(row.P95Ratio, "F2"), row.P95Ratio <= 1.2));
        else t.Add(new("seeded/empty p95", "≤ 1.2", "not measured", null));
        if (report.Spa is { } spa)
            t.Add(new("first-load JS (gzip)", "≤ 250 KB", $"{spa.FirstLoadGzipBytes / 1024.0:F1} KB", spa.FirstLoadGzipBytes <= 250 * 1024));
        else t.Add(new("first-load JS (gzip)", "≤ 250 KB", "not measured", null));
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
                          $"p50 {F(o.DispatchMs.P50)} ms, p95 {F(o.DispatchMs.P95)} ms, p99 {F(o.DispatchMs.P99)} ms, max {F(o.DispatchMs.Max)} ms.");
            md.AppendLine();
            var p = o.Phases;
            md.AppendLine($"Where a step's time goes (means from deployment_runs): dispatch {Ms(p.Dispatch)}, init + plan (+ show ×2) {Ms(p.InitAndPlan)}, " +
                          $"plan approval wait {Ms(p.PlanApprovalWait)}, apply approval wait {Ms(p.ApplyApprovalWait)}, apply pick-up {Ms(p.ApplyPickup)}, " +
                          $"init + apply + output {Ms(p.Apply)}. {o.Approvals} approvals given, {o.SseUpdates} SSE updates received.");
            md.AppendLine();
            var e = o.EngineCliMeans;
            md.AppendLine($"The engine's own CLI calls for one run, run bare by the bench (means of {o.EngineCliSamples}): init {Ms(e.PlanInitMs)}, " +
                          $"plan {Ms(e.PlanMs)}, show -json {Ms(e.ShowJsonMs)}, show {Ms(e.ShowTextMs)}; then in a fresh directory init {Ms(e.ApplyInitMs)}, " +
                          $"apply {Ms(e.ApplyMs)}, output -json {Ms(e.OutputMs)} — **{Ms(e.TotalMs)}** per run against {Ms(o.BareTotalMs / o.Steps)} for " +
                          $"init/plan/apply. Of the {Ms(o.PipelineWallMs / o.Steps - o.BareTotalMs / o.Steps)} a step costs over bare Terraform, " +
                          $"{Ms(e.TotalMs - o.BareTotalMs / o.Steps)} is the four extra CLI calls and the rest " +
                          $"({Ms(o.PipelineWallMs / o.Steps - e.TotalMs)}) is the engine and the approval round trips.");
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
            md.AppendLine("Latencies in ms. The baseline is a bare minimal-API app (not the product) running the same SQL (read out of the API binary) with plain Npgsql and " +
                          "writing the same JSON; it has no authentication. \"Bare + token check\" is the same app also running the API's two bearer-token " +
                          "queries per request (lookup, then the last-used UPDATE on a second connection), so the last column is the API's overhead " +
                          "beyond its SQL and its authentication. The trigger + cancel pair " +
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
