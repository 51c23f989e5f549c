using System.Diagnostics;
using Amnify.Harness.Infra;
using Amnify.Harness.Reporting;
using Npgsql;

namespace Amnify.Harness.Bench.Benchmarks;

/// <summary>
/// Benchmark 1: what a pipeline adds to Terraform. An N-step pipeline of aws-network deployments, every
/// approval given through the API as soon as the run asks (SSE-driven), against the same N bare
/// init / plan -out / apply sequences run back to back by the bench itself, in the same run.
/// </summary>
public static class Orchestration
{
    public static async Task<OrchestrationResult> Run(BenchContext ctx)
    {
        var api = ctx.Api;
        var n = ctx.Sizes.PipelineSteps;
        var projectId = ctx.ProjectId ??= await api.CreateProject($"bench-{ctx.Stamp}");
        var environmentId = ctx.EnvironmentId ??= await api.CreateCloudEnvironment($"bench-env-{ctx.Stamp}");
        var bare = new BareTerraform(ctx.Repo, ctx.Pg.Url(BenchContext.Database));
        var driver = new PipelineDriver(api);

        // Warm-up, not timed: one run through the engine (JIT, first Terraform start) and one bare sequence.
        var warmup = await api.CreateNetworkDeployments(projectId, environmentId, "warmup", 1);
        var warmRun = await driver.Run(await api.CreatePipeline("bench-warmup", warmup), ctx.Sizes.RunTimeout);
        if (warmRun.Status != "completed") throw new InvalidOperationException($"The warm-up pipeline run ended {warmRun.Status}.");
        await bare.Run($"bench_bare_warmup_{ctx.Stamp}", "net-warmup");

        var deployments = await api.CreateNetworkDeployments(projectId, environmentId, "net", n);
        var pipelineId = await api.CreatePipeline($"bench-{n}-steps", deployments);

        Console.WriteLine($"  bare Terraform: {n} init/plan/apply sequences…");
        var sequences = new List<BareSequence>();
        var clock = Stopwatch.StartNew();
        for (var i = 1; i <= n; i++) sequences.Add(await bare.Run($"bench_bare_{ctx.Stamp}_{i}", $"net-{i}"));
        var bareTotal = clock.Elapsed.TotalMilliseconds;
        var engineCli = new List<EngineCliSequence>();
        for (var i = 1; i <= Math.Min(n, 5); i++) engineCli.Add(await bare.RunEngineEquivalent($"bench_eq_{ctx.Stamp}_{i}", $"eq-{i}"));

        Console.WriteLine($"  pipeline: {n} steps through the API…");
        var run = await driver.Run(pipelineId, ctx.Sizes.RunTimeout);
        if (run.Status != "completed") throw new InvalidOperationException($"The pipeline run ended {run.Status}.");

        var steps = await StepTimings.Load(ctx.Db, [run.PipelineRunId]);
        var prepared = await StepTimings.PreparedSteps(ctx.Db, steps);
        var first = steps.OrderBy(s => s.Position).First();
        ctx.MainPipelineId = pipelineId;
        ctx.MainPipelineRunId = run.PipelineRunId;
        ctx.MainDeploymentId = deployments[0];
        ctx.MainDeploymentRunId = first.DeploymentRunId;

        return new OrchestrationResult
        {
            Steps = n,
            BareTotalMs = bareTotal,
            BareInitMs = sequences.Average(s => s.InitMs),
            BarePlanMs = sequences.Average(s => s.PlanMs),
            BareApplyMs = sequences.Average(s => s.ApplyMs),
            PipelineWallMs = run.WallMs,
            PipelineDbMs = (first.PipelineFinishedAt!.Value - first.PipelineCreatedAt).TotalMilliseconds,
            Ratio = run.WallMs / bareTotal,
            DispatchMs = Percentiles.Of(StepTimings.DispatchMs(steps)),
            ApplyPickupMs = Percentiles.Of(steps.Where(x => x.ApplyApprovedAt is not null && x.ApplyStartedAt is not null)
                .Select(x => (x.ApplyStartedAt!.Value - x.ApplyApprovedAt!.Value).TotalMilliseconds).ToList()),
            TriggerToFirstPlanMs = run.FirstPlanReadyMs ?? double.NaN,
            TriggerToFirstPlanDbMs = (first.PlannedAt!.Value - first.PipelineCreatedAt).TotalMilliseconds,
            BareFirstPlanMs = sequences[0].InitMs + sequences[0].PlanMs,
            Phases = Phases(steps),
            Approvals = run.Approvals,
            SseEvents = run.SseEvents,
            EngineCliSamples = engineCli.Count,
            EngineCliMeans = new EngineCliSequence(engineCli.Average(e => e.PlanInitMs), engineCli.Average(e => e.PlanMs),
                engineCli.Average(e => e.ShowJsonMs), engineCli.Average(e => e.ApplyMs), engineCli.Average(e => e.StartupMs)),
            PreparedSteps = prepared,
        };
    }

    public static PhaseBreakdown Phases(List<StepTiming> steps) => new(
        Dispatch: StepTimings.DispatchMs(steps) is { Count: > 0 } d ? d.Average() : double.NaN,
        InitAndPlan: StepTimings.Mean(steps, s => s.StartedAt, s => s.PlannedAt),
        PlanApprovalWait: StepTimings.Mean(steps, s => s.PlannedAt, s => s.PlanApprovedAt),
        ApplyApprovalWait: StepTimings.Mean(steps, s => s.PlanApprovedAt, s => s.ApplyApprovedAt),
        ApplyPickup: StepTimings.Mean(steps, s => s.ApplyApprovedAt, s => s.ApplyStartedAt),
        Apply: StepTimings.Mean(steps, s => s.ApplyStartedAt, s => s.FinishedAt));

    /// <summary>
    /// K pipelines of a few steps at once, with <paramref name="workers"/> worker processes (the API's own, plus a
    /// `--role worker` process for 2): first on new deployments (their first Terraform state), then — once every
    /// deployment is deployed — again after a variable change, so each plan has changes and both approvals.
    /// Deployment runs completed per minute, with failures counted as results.
    /// </summary>
    public static async Task<List<ConcurrencyRound>> Concurrent(BenchContext ctx, int workers)
    {
        var api = ctx.Api;
        var projectId = ctx.ProjectId ??= await api.CreateProject($"bench-{ctx.Stamp}");
        var environmentId = ctx.EnvironmentId ??= await api.CreateCloudEnvironment($"bench-env-{ctx.Stamp}");
        var (k, s) = (ctx.Sizes.ConcurrentPipelines, ctx.Sizes.StepsPerConcurrentPipeline);
        var pipelines = new Guid[k];
        var deployments = new List<Guid>();
        for (var p = 0; p < k; p++)
        {
            var steps = await api.CreateNetworkDeployments(projectId, environmentId, $"w{workers}-p{p + 1}", s);
            deployments.AddRange(steps);
            pipelines[p] = await api.CreatePipeline($"bench-w{workers}-p{p + 1}", steps);
        }
        var driver = new PipelineDriver(api);
        var first = await Round(ctx, driver, "first deploy", workers, pipelines, s);

        // Every deployment deployed (one pipeline at a time, so no two first states are created at once), then a changed variable.
        foreach (var p in pipelines)
            for (var attempt = 0; attempt < 3; attempt++)
                if ((await driver.Run(p, ctx.Sizes.RunTimeout)).Status == "completed") break;
        foreach (var d in deployments)
            await api.PatchJson($"/api/v1/deployments/{d}", new { variables = new { cidr = $"10.{workers}.0.0/16" } });
        var update = await Round(ctx, driver, "update", workers, pipelines, s);
        return [first, update];
    }

    private static async Task<ConcurrencyRound> Round(BenchContext ctx, PipelineDriver driver, string kind, int workers, Guid[] pipelines, int s)
    {
        Console.WriteLine($"  {kind}: {pipelines.Length} pipelines × {s} steps at once, {workers} worker process(es)…");
        var clock = Stopwatch.StartNew();
        var runs = await Task.WhenAll(pipelines.Select(p => driver.Run(p, ctx.Sizes.RunTimeout)));
        var wall = clock.Elapsed;
        // A product failure is a result here, not a harness failure: count it and keep its message.
        var steps = await StepTimings.Load(ctx.Db, runs.Select(r => r.PipelineRunId));
        var completed = steps.Count(x => x.Status == "completed");
        var failed = steps.Where(x => x.Status == "failed").ToList();
        string? firstError = null;
        if (failed.Count > 0)
        {
            await using var command = ctx.Db.CreateCommand("SELECT error FROM deployment_runs WHERE id = @id");
            command.Parameters.AddWithValue("id", failed[0].DeploymentRunId);
            firstError = string.Join(" ", ((await command.ExecuteScalarAsync() as string) ?? "").Split('\n', StringSplitOptions.RemoveEmptyEntries)
                .Select(l => l.Trim()).Take(2));
            Console.WriteLine($"  {failed.Count} deployment run(s) failed, e.g. {firstError}");
        }
        return new ConcurrencyRound
        {
            Kind = kind,
            Workers = workers,
            Pipelines = pipelines.Length,
            StepsEach = s,
            RunsCompleted = completed,
            RunsFailed = failed.Count,
            PipelinesNotCompleted = runs.Count(r => r.Status != "completed"),
            FirstError = firstError,
            WallSeconds = wall.TotalSeconds,
            RunsPerMinute = completed / wall.TotalMinutes,
            DispatchMs = Percentiles.Of(StepTimings.DispatchMs(steps)),
            TriggerToFirstPlanMs = steps.GroupBy(x => x.PipelineRunId).Select(g => g.OrderBy(x => x.Position).First())
                .Where(x => x.PlannedAt is not null).Select(x => (x.PlannedAt!.Value - x.PipelineCreatedAt).TotalMilliseconds).ToList(),
            PhasesByWorker = await PhasesByWorker(ctx.Db, steps.Select(x => x.DeploymentRunId).ToArray()),
        };
    }

    /// <summary>The worker each plan and apply phase ran on, from the first line the engine logs for it.</summary>
    private static async Task<Dictionary<string, int>> PhasesByWorker(NpgsqlDataSource db, Guid[] runIds)
    {
        await using var command = db.CreateCommand("""
            SELECT substring(text from 'on worker (\S+)') AS worker, count(*)
            FROM run_events WHERE run_id = ANY(@ids) AND kind = 'log' AND text ~ 'on worker \S+'
            GROUP BY 1 ORDER BY 1
            """);
        command.Parameters.AddWithValue("ids", runIds);
        await using var r = await command.ExecuteReaderAsync();
        var byWorker = new Dictionary<string, int>();
        while (await r.ReadAsync()) byWorker[r.IsDBNull(0) ? "?" : r.GetString(0)] = (int)r.GetInt64(1);
        return byWorker;
    }
}
