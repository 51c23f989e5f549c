using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.RegularExpressions;
using Amnify.Bench.Load;
using Amnify.Bench.Reporting;
using Npgsql;
using NpgsqlTypes;
using static Amnify.Bench.Baseline.ProductSql;

namespace Amnify.Bench.Benchmarks;

/// <summary>
/// Benchmark 3: the same requests on the database as the benchmarks left it ("empty") and after COPY-seeding
/// years of history ("seeded"), at 16 connections; the p95 ratio, and EXPLAIN (ANALYZE, BUFFERS) of every
/// query behind them in both states.
/// </summary>
public static partial class Scale
{
    public static async Task<ScaleResult> Run(BenchContext ctx)
    {
        var endpoints = ctx.Endpoints ??= await Throughput.Endpoints(ctx);
        var (deploymentId, runId, offset) = await LogSubject(ctx);
        var all = endpoints.Select(e => (e.Name, e.Operation)).ToList();
        all.Add(("GET /deployments/{id}/runs", LoadClient.Get($"/api/v1/deployments/{deploymentId}/runs")));
        all.Add(($"GET /deployment-runs/{{id}}/log?offset={offset}", LoadClient.Get($"/api/v1/deployment-runs/{runId}/log?offset={offset}")));

        var queries = await Queries(ctx, deploymentId, runId, offset);
        var vacuumEmpty = await Quiesce(ctx.Db);
        var explains = new List<ExplainedQuery>();
        foreach (var q in queries) explains.Add(await Explain(ctx.Db, q, "empty"));
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
        foreach (var q in queries) explains.Add(await Explain(ctx.Db, q, "seeded"));

        var file = Path.Combine(ctx.ResultsDir, $"{ctx.Stamp}-explain.txt");
        await File.WriteAllTextAsync(file, string.Join("\n\n", explains.Select(e =>
            $"==== {e.Name} [{e.State}] — planning {e.PlanningMs:F3} ms, execution {e.ExecutionMs:F3} ms (fastest of 3)\n{e.Sql}\n---\n{e.Plan}")));
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

    public sealed record Query(string Name, string Sql, NpgsqlParameter[] Parameters);

    private static NpgsqlParameter P(string name, object? value, NpgsqlDbType? type = null)
    {
        var p = type is { } t ? new NpgsqlParameter(name, t) : new NpgsqlParameter(name, value ?? DBNull.Value);
        p.Value = value ?? DBNull.Value;
        return p;
    }

    /// <summary>The product's SQL behind each benchmarked endpoint (and the engine's hot queries), with real parameters.</summary>
    private static async Task<List<Query>> Queries(BenchContext ctx, Guid deploymentId, Guid runId, int offset)
    {
        var pipelineId = ctx.MainPipelineId ?? throw new InvalidOperationException("No pipeline to explain.");
        var pipelineRunId = ctx.MainPipelineRunId ?? throw new InvalidOperationException("No pipeline run to explain.");
        var triggerPipeline = ctx.TriggerPipelines?[0] ?? pipelineId;
        Guid triggerDeployment;
        DateTime queuedAt;
        await using (var command = ctx.Db.CreateCommand("SELECT deployment_id FROM pipeline_steps WHERE pipeline_id = @id ORDER BY position LIMIT 1"))
        {
            command.Parameters.AddWithValue("id", triggerPipeline);
            triggerDeployment = (Guid)(await command.ExecuteScalarAsync())!;
        }
        await using (var command = ctx.Db.CreateCommand("SELECT queued_at FROM deployment_runs WHERE id = @id"))
        {
            command.Parameters.AddWithValue("id", runId);
            queuedAt = (DateTime)(await command.ExecuteScalarAsync())!;
        }
        var hash = Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(ctx.Token)));
        return
        [
            new("auth: bearer token lookup (every request)", TokenLookup, [P("Hash", hash)]),
            new("GET pipeline: pipeline", SelectPipeline, [P("id", pipelineId)]),
            new("GET pipeline: steps", SelectPipelineSteps, [P("id", pipelineId)]),
            new("GET pipeline run: run", SelectPipelineRun, [P("id", pipelineRunId)]),
            new("GET pipeline run: steps", SelectPipelineRunSteps, [P("Ids", new[] { pipelineRunId })]),
            new("GET pipelines?provider=aws&limit=50", ListPipelines,
                [P("Provider", "aws", NpgsqlDbType.Text), P("Pattern", null, NpgsqlDbType.Text), P("AfterKey", null, NpgsqlDbType.Text),
                 P("AfterId", null, NpgsqlDbType.Text), P("Take", 51)]),
            new("trigger: active run", ActiveRun, [P("PipelineId", triggerPipeline)]),
            new("trigger: unconfigured deployments", Unconfigured, [P("PipelineId", triggerPipeline)]),
            new("trigger: deployment snapshot", Snapshot, [P("DeploymentId", triggerDeployment)]),
            new("cancel / every run transition: step of run", StepOfRun, [P("RunId", runId)]),
            new("cancel / every final transition: next in line", NextInLine, [P("DeploymentId", deploymentId)]),
            new("run history: deployment exists", DeploymentExists, [P("DeploymentId", deploymentId)]),
            new("run history: page", DeploymentRunHistory,
                [P("DeploymentId", deploymentId), P("AfterKey", null, NpgsqlDbType.Text), P("AfterId", null, NpgsqlDbType.Text), P("Take", 51)]),
            new("log: run status", RunStatus, [P("Id", runId)]),
            new("log: page", LogAfter, [P("Id", runId), P("After", offset), P("Kind", "log", NpgsqlDbType.Text), P("Take", 10_000)]),
            new("worker: next claimable run", NextClaimable, []),
            new("worker: deployment busy", DeploymentBusy, [P("DeploymentId", deploymentId), P("Id", runId), P("QueuedAt", queuedAt, NpgsqlDbType.TimestampTz)]),
            new("SSE: pipeline run fingerprint", PipelineRunFingerprint, [P("Id", pipelineRunId)]),
        ];
    }

    /// <summary>
    /// EXPLAIN (ANALYZE, BUFFERS) in a transaction that is rolled back (locking reads take their locks, nothing
    /// stays); three times, keeping the fastest, so a cold cache or a busy neighbour does not pass for a plan problem.
    /// </summary>
    private static async Task<ExplainedQuery> Explain(NpgsqlDataSource db, Query query, string state)
    {
        ExplainedQuery? best = null;
        for (var i = 0; i < 3; i++)
        {
            await using var c = await db.OpenConnectionAsync();
            await using var tx = await c.BeginTransactionAsync();
            await using var command = new NpgsqlCommand("EXPLAIN (ANALYZE, BUFFERS) " + query.Sql, c, tx);
            foreach (var p in query.Parameters) command.Parameters.Add(p.Clone());
            var lines = new List<string>();
            await using (var r = await command.ExecuteReaderAsync())
                while (await r.ReadAsync()) lines.Add(r.GetString(0));
            await tx.RollbackAsync();
            var plan = string.Join('\n', lines);
            var planning = PlanningTime().Match(plan) is { Success: true } pm ? double.Parse(pm.Groups[1].Value, CultureInfo.InvariantCulture) : double.NaN;
            var execution = ExecutionTime().Match(plan) is { Success: true } m ? double.Parse(m.Groups[1].Value, CultureInfo.InvariantCulture) : double.NaN;
            var seqScans = SeqScan().Matches(plan).Select(x => x.Value.Trim()).Distinct().ToArray();
            if (best is null || execution < best.ExecutionMs)
                best = new ExplainedQuery(query.Name, state, planning, execution, seqScans, plan) { Sql = query.Sql };
        }
        return best!;
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

    [GeneratedRegex(@"Planning Time: ([0-9.]+) ms")]
    private static partial Regex PlanningTime();

    [GeneratedRegex(@"Execution Time: ([0-9.]+) ms")]
    private static partial Regex ExecutionTime();

    [GeneratedRegex(@"Seq Scan on \w+")]
    private static partial Regex SeqScan();
}
