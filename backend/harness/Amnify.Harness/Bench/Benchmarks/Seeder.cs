using System.Diagnostics;
using Npgsql;
using NpgsqlTypes;

namespace Amnify.Harness.Bench.Benchmarks;

/// <summary>
/// Fills the database with history through binary COPY: projects, cloud environments, deployments,
/// pipelines with their steps and runs, deployment runs and their log lines. Ids are UUIDv7 stamped in
/// the past (as the product makes them), rows satisfy every CHECK, FK and unique index of the schema,
/// and every seeded run is final so no worker ever picks one up.
/// </summary>
public sealed class Seeder(NpgsqlDataSource db, SeedSizes sizes)
{
    private static readonly string[] Providers = ["aws", "azure", "gcp"];
    private const int Projects = 99; // a multiple of 3: project j belongs to Providers[j % 3]

    private string planSummary = """{"add":3,"change":0,"destroy":0,"replace":0,"resources":[{"address":"terraform_data.network","action":"create"}]}""";
    private string outputs = """{"network_id":{"sensitive":false,"value":"aws-net-00000000"}}""";

    public async Task<double> Run()
    {
        var clock = Stopwatch.StartNew();
        await using var c = await db.OpenConnectionAsync();
        var versions = new Dictionary<string, Guid>();
        await using (var command = new NpgsqlCommand("SELECT provider, current_version_id FROM templates WHERE id = provider || '-network'", c))
        await using (var r = await command.ExecuteReaderAsync())
            while (await r.ReadAsync()) versions[r.GetString(0)] = r.GetGuid(1);
        if (versions.Count != 3) throw new InvalidOperationException("The network templates of aws, azure and gcp must be synced before seeding.");
        // Real plan summaries and outputs, when the orchestration benchmark left some.
        await using (var command = new NpgsqlCommand(
            "SELECT plan_summary::text, outputs::text FROM deployment_runs WHERE plan_summary IS NOT NULL AND outputs IS NOT NULL LIMIT 1", c))
        await using (var r = await command.ExecuteReaderAsync())
            if (await r.ReadAsync()) (planSummary, outputs) = (r.GetString(0), r.GetString(1));

        var start = DateTime.UtcNow.AddDays(-400);
        var projects = Ids(Projects, start, TimeSpan.FromMinutes(1));
        var environments = Ids(3, start, TimeSpan.FromMinutes(1));
        var deployments = Ids(sizes.Deployments, start.AddHours(2), TimeSpan.FromSeconds(1));
        var pipelines = Ids(sizes.Pipelines, start.AddDays(3), TimeSpan.FromSeconds(1));
        var runStart = start.AddDays(5);
        var runSpacing = TimeSpan.FromMilliseconds(Math.Max(1, 360.0 * 86_400_000 / Math.Max(1, sizes.DeploymentRuns)));
        var runTimes = new Func<long, DateTime>(g => runStart + g * runSpacing);
        var runs = new Guid[sizes.DeploymentRuns];
        for (long g = 0; g < runs.Length; g++) runs[g] = Guid.CreateVersion7(new DateTimeOffset(runTimes(g)));
        var pipelineRuns = Ids(checked((int)sizes.PipelineRuns), runStart, TimeSpan.FromSeconds(30));

        string ProviderOfDeployment(int d) => Providers[d % Projects % 3];
        // Step k of pipeline i runs deployment StepDeployment(i, k): same provider, each deployment in at most one pipeline.
        int StepDeployment(int i, int k) => (int)((3L * (i * (long)sizes.StepsPerPipeline + k) + i % 3) % sizes.Deployments);
        // Pipeline run n of pipeline i ran, at step k, deployment run n of StepDeployment(i, k).
        var pipelineRunOf = new Dictionary<long, int>();
        for (var i = 0; i < sizes.Pipelines; i++)
            for (var n = 0; n < sizes.RunsPerPipeline && n < sizes.RunsPerDeployment; n++)
                for (var k = 0; k < sizes.StepsPerPipeline; k++)
                    pipelineRunOf[(long)StepDeployment(i, k) * sizes.RunsPerDeployment + n] = i * sizes.RunsPerPipeline + n;

        await Copy(c, "projects (id, provider, name, created_at, updated_at)", projects.Length, (w, j) =>
        {
            w.Write(projects[j]); w.Write(Providers[j % 3]); w.Write($"seed-project-{j:D3}");
            w.Write(start, NpgsqlDbType.TimestampTz); w.Write(start, NpgsqlDbType.TimestampTz);
        });
        await Copy(c, "cloud_environments (id, provider, name, region, account_id)", 3, (w, j) =>
        {
            w.Write(environments[j]); w.Write(Providers[j]); w.Write($"seed-env-{Providers[j]}"); w.Write("us-east-1"); w.Write("1");
        });
        await Copy(c, "deployments (id, provider, project_id, template_id, cloud_environment_id, name, variables, outcome, has_infrastructure, created_at, updated_at)",
            sizes.Deployments, (w, x) =>
            {
                var d = (int)x;
                var provider = ProviderOfDeployment(d);
                var at = start.AddHours(2).AddSeconds(d);
                w.Write(deployments[d]); w.Write(provider); w.Write(projects[d % Projects]); w.Write($"{provider}-network");
                w.Write(environments[Array.IndexOf(Providers, provider)]); w.Write($"seed-deployment-{d:D6}");
                w.Write($$"""{"name":"seed-{{d}}","region":"us-east-1","cidr":"10.0.0.0/16"}""", NpgsqlDbType.Jsonb);
                w.Write("deployed"); w.Write(true); w.Write(at, NpgsqlDbType.TimestampTz); w.Write(at, NpgsqlDbType.TimestampTz);
            });
        await Copy(c, "pipelines (id, provider, name, version, run_count, created_at, updated_at)", sizes.Pipelines, (w, x) =>
        {
            var i = (int)x;
            var at = start.AddDays(3).AddSeconds(i);
            w.Write(pipelines[i]); w.Write(Providers[i % 3]); w.Write($"seed-pipeline-{i:D6}"); w.Write(1 + sizes.StepsPerPipeline);
            w.Write(sizes.RunsPerPipeline); w.Write(at, NpgsqlDbType.TimestampTz); w.Write(at, NpgsqlDbType.TimestampTz);
        });
        await Copy(c, "pipeline_steps (id, pipeline_id, deployment_id, position)", sizes.Pipelines * sizes.StepsPerPipeline, (w, x) =>
        {
            var (i, k) = ((int)x / sizes.StepsPerPipeline, (int)x % sizes.StepsPerPipeline);
            w.Write(Guid.CreateVersion7(new DateTimeOffset(start.AddDays(3).AddSeconds(i)))); w.Write(pipelines[i]);
            w.Write(deployments[StepDeployment(i, k)]); w.Write(k + 1);
        });
        await Copy(c, "pipeline_runs (id, pipeline_id, number, status, triggered_by, trigger_source, current_position, created_at, started_at, finished_at)",
            pipelineRuns.Length, (w, x) =>
            {
                var (i, n) = ((int)x / sizes.RunsPerPipeline, (int)x % sizes.RunsPerPipeline);
                var at = runStart + x * TimeSpan.FromSeconds(30);
                w.Write(pipelineRuns[x]); w.Write(pipelines[i]); w.Write(n + 1); w.Write(n % 10 == 9 ? "failed" : "completed");
                w.Write("seed@amnify.local"); w.Write("api"); w.Write(sizes.StepsPerPipeline);
                w.Write(at, NpgsqlDbType.TimestampTz); w.Write(at, NpgsqlDbType.TimestampTz); w.Write(at.AddMinutes(5), NpgsqlDbType.TimestampTz);
            });
        await Copy(c, "pipeline_run_steps (pipeline_run_id, position, deployment_id, deployment_name, status, deployment_run_id, started_at, finished_at)",
            pipelineRuns.Length * sizes.StepsPerPipeline, (w, x) =>
            {
                var (run, k) = ((int)x / sizes.StepsPerPipeline, (int)x % sizes.StepsPerPipeline);
                var (i, n) = (run / sizes.RunsPerPipeline, run % sizes.RunsPerPipeline);
                var d = StepDeployment(i, k);
                var at = runStart + run * TimeSpan.FromSeconds(30);
                w.Write(pipelineRuns[run]); w.Write(k + 1); w.Write(deployments[d]); w.Write($"seed-deployment-{d:D6}"); w.Write("completed");
                if (n < sizes.RunsPerDeployment) w.Write(runs[(long)d * sizes.RunsPerDeployment + n]); else w.WriteNull();
                w.Write(at, NpgsqlDbType.TimestampTz); w.Write(at.AddMinutes(1), NpgsqlDbType.TimestampTz);
            });
        await Copy(c, """
            deployment_runs (id, deployment_id, operation, status, template_version_id, cloud_environment_id, variables, plan_summary, outputs,
                pipeline_run_id, attempt, event_seq, triggered_by, plan_approved_by, plan_approved_at, apply_approved_by, apply_approved_at,
                queued_at, started_at, planned_at, apply_started_at, finished_at)
            """, runs.LongLength, (w, g) =>
            {
                var d = (int)(g / sizes.RunsPerDeployment);
                var provider = ProviderOfDeployment(d);
                var at = runTimes(g);
                var failed = g % 20 == 19;
                w.Write(runs[g]); w.Write(deployments[d]); w.Write("execute"); w.Write(failed ? "failed" : "completed");
                w.Write(versions[provider]); w.Write(environments[Array.IndexOf(Providers, provider)]);
                w.Write($$"""{"name":"seed-{{d}}","region":"us-east-1","cidr":"10.0.0.0/16"}""", NpgsqlDbType.Jsonb);
                w.Write(planSummary, NpgsqlDbType.Jsonb);
                if (failed) w.WriteNull(); else w.Write(outputs, NpgsqlDbType.Jsonb);
                if (pipelineRunOf.TryGetValue(g, out var pr)) w.Write(pipelineRuns[pr]); else w.WriteNull();
                w.Write(1); w.Write(sizes.LinesPerRun); w.Write("seed@amnify.local");
                w.Write("seed@amnify.local"); w.Write(at.AddSeconds(20), NpgsqlDbType.TimestampTz);
                w.Write("seed@amnify.local"); w.Write(at.AddSeconds(25), NpgsqlDbType.TimestampTz);
                w.Write(at, NpgsqlDbType.TimestampTz); w.Write(at.AddSeconds(1), NpgsqlDbType.TimestampTz);
                w.Write(at.AddSeconds(10), NpgsqlDbType.TimestampTz); w.Write(at.AddSeconds(26), NpgsqlDbType.TimestampTz);
                w.Write(at.AddSeconds(40), NpgsqlDbType.TimestampTz);
            });
        var lines = sizes.LinesPerRun;
        await Copy(c, "run_events (run_id, seq, kind, text, at)", sizes.LogLines, (w, x) =>
        {
            var (g, seq) = (x / lines, (int)(x % lines) + 1);
            var status = seq == 1 || seq == lines;
            w.Write(runs[g]); w.Write(seq); w.Write(status ? "status" : "log");
            w.Write(status ? (seq == 1 ? "queued" : "completed")
                : $"terraform_data.subnet[\"private\"]: Creation complete after 0s [id=seed-{g}-{seq}] (line {seq} of the seeded log)");
            w.Write(runTimes(g).AddMilliseconds(seq * 10), NpgsqlDbType.TimestampTz);
        });

        await using (var analyze = new NpgsqlCommand("ANALYZE", c) { CommandTimeout = 0 })
            await analyze.ExecuteNonQueryAsync();
        return clock.Elapsed.TotalSeconds;
    }

    private static Guid[] Ids(int count, DateTime from, TimeSpan step)
    {
        var ids = new Guid[count];
        for (var i = 0; i < count; i++) ids[i] = Guid.CreateVersion7(new DateTimeOffset(from + i * step));
        return ids;
    }

    /// <summary>One binary COPY of <paramref name="rows"/> rows, each written by <paramref name="write"/> from its index.</summary>
    private static Task Copy(NpgsqlConnection c, string target, long rows, Action<NpgsqlBinaryImporter, long> write) => Task.Run(() =>
    {
        var clock = Stopwatch.StartNew();
        using (var importer = c.BeginBinaryImport($"COPY {target} FROM STDIN (FORMAT BINARY)"))
        {
            importer.Timeout = TimeSpan.FromHours(1);
            for (long x = 0; x < rows; x++)
            {
                importer.StartRow();
                write(importer, x);
            }
            importer.Complete();
        }
        var table = target.Trim().Split(' ', 2)[0];
        Console.WriteLine($"    {table}: {rows:N0} rows in {clock.Elapsed.TotalSeconds:F1} s");
    });
}
