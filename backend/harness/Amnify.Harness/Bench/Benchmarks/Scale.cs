using Amnify.Harness.Reporting;
using Npgsql;

namespace Amnify.Harness.Bench.Benchmarks;

/// <summary>
/// Benchmark 3: the same requests on the database as the benchmarks left it ("empty") and after COPY-seeding
/// years of history ("seeded"), at 16 connections; the p95 ratio, and the plans (ANALYZE, BUFFERS) of every
/// statement the API and a worker ran for them in both states, as auto_explain logged them (<see cref="ApiPlans"/>).
/// </summary>
public static class Scale
{
    public static async Task<ScaleResult> Run(BenchContext ctx)
    {
        var endpoints = ctx.Endpoints ??= await Throughput.Endpoints(ctx);
        var (deploymentId, runId, offset) = await LogSubject(ctx);
        var all = endpoints.Select(e => (e.Name, e.Operation)).ToList();
        all.Add(("GET /deployments/{id}/runs", LoadClient.Get($"/api/v1/deployments/{deploymentId}/runs")));
        all.Add(($"GET /deployment-runs/{{id}}/log?offset={offset}", LoadClient.Get($"/api/v1/deployment-runs/{runId}/log?offset={offset}")));

        var eventsPath = ctx.MainPipelineRunId is { } pipelineRunId ? $"/api/v1/pipeline-runs/{pipelineRunId}/events" : null;
        var explains = await ApiPlans.Capture(ctx, all, eventsPath, "empty");
        var vacuumEmpty = await Quiesce(ctx.Db);
        var referenceEmpty = await Reference(ctx);
        var empty = new List<LoadResult>();
        foreach (var (name, operation) in all)
        {
            empty.Add(await Measure(ctx, operation));
            Console.WriteLine($"  empty  {name,-42} p95 {empty[^1].LatencyMs.P95,7:F2} ms  {empty[^1].RequestsPerSecond,7:F0} req/s");
        }

        var s = ctx.Sizes.Seed;
        Console.WriteLine($"  seeding {s.Pipelines:N0} pipelines, {s.Deployments:N0} deployments, {s.DeploymentRuns:N0} deployment runs, {s.LogLines:N0} log lines…");
        var seconds = await new Seeder(ctx.Db, s).Run();
        var vacuumSeeded = await Quiesce(ctx.Db);
        Console.WriteLine($"  VACUUM (ANALYZE) + CHECKPOINT: {vacuumEmpty:F1} s before the empty measurement, {vacuumSeeded:F1} s before the seeded one");

        var rows = new List<ScaleRow>();
        for (var i = 0; i < all.Count; i++)
        {
            var seeded = await Measure(ctx, all[i].Operation);
            rows.Add(new ScaleRow(all[i].Name, empty[i], seeded));
            Console.WriteLine($"  seeded {all[i].Name,-42} p95 {seeded.LatencyMs.P95,7:F2} ms  {seeded.RequestsPerSecond,7:F0} req/s  ratio {rows[^1].P95Ratio:F2}");
        }
        var referenceSeeded = await Reference(ctx);
        explains.AddRange(await ApiPlans.Capture(ctx, all, eventsPath, "seeded"));

        var file = Path.Combine(ctx.ResultsDir, $"{ctx.Stamp}-explain.txt");
        await File.WriteAllTextAsync(file, string.Join("\n\n", explains.Select(e =>
            $"==== {e.Name} [{e.State}] — {e.ExecutionMs:F3} ms (fastest of its runs, auto_explain)\n{e.Sql}\n---\n{e.Plan}")));
        return new ScaleResult
        {
            Sizes = s,
            SeedSeconds = seconds,
            VacuumEmptySeconds = vacuumEmpty,
            VacuumSeededSeconds = vacuumSeeded,
            RowCounts = await RowCounts(ctx.Db),
            TableSizes = await TableSizes(ctx.Db),
            Rows = rows,
            MachineReference = new ScaleRow("machine reference: bare app GET /readyz (no database)", referenceEmpty, referenceSeeded),
            Explains = explains.Select(e => e with { Sql = null }).ToList(),
            ExplainFile = Path.GetFileName(file),
        };
    }

    /// <summary>
    /// The same starting point for both states: dead rows of the earlier load vacuumed, statistics fresh, dirty
    /// pages written — so neither measurement shares the machine with autovacuum or a checkpoint.
    /// </summary>
    private static async Task<double> Quiesce(NpgsqlDataSource db)
    {
        var clock = System.Diagnostics.Stopwatch.StartNew();
        await using var c = await db.OpenConnectionAsync();
        foreach (var sql in new[] { "VACUUM (ANALYZE)", "CHECKPOINT" })
        {
            await using var command = new NpgsqlCommand(sql, c) { CommandTimeout = 0 };
            await command.ExecuteNonQueryAsync();
        }
        return clock.Elapsed.TotalSeconds;
    }

    private static Task<LoadResult> Reference(BenchContext ctx) =>
        LoadClient.Run(ctx.BaselineUrl, null, ctx.Sizes.ScaleConnections, ctx.Sizes.Warmup, ctx.Sizes.LoadDuration, LoadClient.Get("/readyz"));

    private static Task<LoadResult> Measure(BenchContext ctx, LoadOperation operation) =>
        LoadClient.Run(ctx.ApiUrl, ctx.Token, ctx.Sizes.ScaleConnections, ctx.Sizes.Warmup, ctx.Sizes.LoadDuration, operation);

    /// <summary>The deployment whose history is read and the run whose log is paged (halfway through it).</summary>
    private static async Task<(Guid Deployment, Guid Run, int Offset)> LogSubject(BenchContext ctx)
    {
        await using var command = ctx.Db.CreateCommand(ctx.MainDeploymentRunId is { } id
            ? "SELECT deployment_id, id, event_seq FROM deployment_runs WHERE id = @id"
            : "SELECT deployment_id, id, event_seq FROM deployment_runs ORDER BY event_seq DESC, id LIMIT 1");
        if (ctx.MainDeploymentRunId is { } runId) command.Parameters.AddWithValue("id", runId);
        await using var r = await command.ExecuteReaderAsync();
        if (!await r.ReadAsync()) throw new InvalidOperationException("No deployment run to read the log of.");
        return (r.GetGuid(0), r.GetGuid(1), r.GetInt32(2) / 2);
    }

    private static async Task<Dictionary<string, long>> RowCounts(NpgsqlDataSource db)
    {
        var counts = new Dictionary<string, long>();
        foreach (var table in new[] { "pipelines", "pipeline_steps", "pipeline_runs", "pipeline_run_steps", "deployments", "deployment_runs", "run_events" })
        {
            await using var command = db.CreateCommand($"SELECT count(*) FROM {table}");
            counts[table] = (long)(await command.ExecuteScalarAsync())!;
        }
        return counts;
    }

    private static async Task<Dictionary<string, string>> TableSizes(NpgsqlDataSource db)
    {
        var sizes = new Dictionary<string, string>();
        await using var command = db.CreateCommand("""
            SELECT relname, pg_size_pretty(pg_total_relation_size(oid)) FROM pg_class
            WHERE relname IN ('pipelines', 'pipeline_steps', 'pipeline_runs', 'pipeline_run_steps', 'deployments', 'deployment_runs', 'run_events')
            ORDER BY pg_total_relation_size(oid) DESC
            """);
        await using var r = await command.ExecuteReaderAsync();
        while (await r.ReadAsync()) sizes[r.GetString(0)] = r.GetString(1);
        return sizes;
    }
}
