using System.Globalization;
using System.Text.Json.Nodes;
using Amnify.Harness.Infra;
using Dapper;

namespace Amnify.Harness.Chaos;

public sealed class RunRow
{
    public Guid Id { get; set; }
    public Guid DeploymentId { get; set; }
    public string Operation { get; set; } = "";
    public string Status { get; set; } = "";
    public Guid? PipelineRunId { get; set; }
    public DateTime? PlanApprovedAt { get; set; }
    public DateTime? ApplyApprovedAt { get; set; }
    public DateTime? ApplyStartedAt { get; set; }
    public string? WorkerId { get; set; }
    public DateTime? LeaseExpiresAt { get; set; }
    public string? Error { get; set; }
    public int Attempt { get; set; }
    public string? Generation { get; set; }
    public DateTime QueuedAt { get; set; }
    public DateTime? StartedAt { get; set; }
    public DateTime? FinishedAt { get; set; }

    public bool IsFinal => Status is "completed" or "destroyed" or "noChanges" or "failed" or "cancelled";
    public bool HoldsLock => Status is "initializing" or "planning" or "awaitingPlanApproval" or "awaitingApplyApproval" or "applying" or "destroying";
    /// <summary>The random end of the id (run ids are UUIDv7: their start is a timestamp, alike for runs made together).</summary>
    public string Short => "…" + Id.ToString()[^12..];
}

public sealed class PipelineRunRow
{
    public Guid Id { get; set; }
    public Guid PipelineId { get; set; }
    public int Number { get; set; }
    public string Status { get; set; } = "";
    public int? CurrentPosition { get; set; }

    public bool IsFinal => Status is "completed" or "failed" or "cancelled";
}

public sealed class StepRow
{
    public Guid PipelineRunId { get; set; }
    public int Position { get; set; }
    public Guid DeploymentId { get; set; }
    public string Status { get; set; } = "";
    public Guid? DeploymentRunId { get; set; }
}

/// <summary>One line a recorder apply appended: "&lt;deployment name&gt; &lt;run id (32 hex)&gt;/&lt;generation&gt; &lt;timestamp&gt;".</summary>
public sealed record RecordLine(string Deployment, Guid? RunId, string Generation, string At, string Raw);

/// <summary>The terraform_data resource found in a deployment's Terraform state (schema tfstate_&lt;id&gt;).</summary>
public sealed record StateFinding(bool SchemaExists, bool HasResource, string? Generation);

/// <summary>Everything the invariants judge a trial by: rows, record files and Terraform state, read after the trial.</summary>
public sealed class Evidence
{
    public required Dictionary<Guid, string> Deployments { get; init; }
    public required List<RunRow> Runs { get; init; }
    public required List<PipelineRunRow> PipelineRuns { get; init; }
    public required List<StepRow> Steps { get; init; }
    public required List<RecordLine> Records { get; init; }
    public required Dictionary<Guid, StateFinding> States { get; init; }

    private const string RunsSql = """
        SELECT id, deployment_id, operation, status, pipeline_run_id, plan_approved_at, apply_approved_at, apply_started_at,
               worker_id, lease_expires_at, error, attempt, variables->>'generation' AS generation, queued_at, started_at, finished_at
        FROM deployment_runs WHERE deployment_id = ANY(@Ids) ORDER BY queued_at, id
        """;

    private const string PipelineRunsSql = """
        SELECT id, pipeline_id, number, status, current_position FROM pipeline_runs WHERE pipeline_id = ANY(@Ids) ORDER BY pipeline_id, number
        """;

    private const string StepsSql = """
        SELECT pipeline_run_id, position, deployment_id, status, deployment_run_id FROM pipeline_run_steps
        WHERE pipeline_run_id = ANY(@Ids) ORDER BY pipeline_run_id, position
        """;

    public static async Task<Evidence> Collect(Db db, Dictionary<Guid, string> deployments, IReadOnlyCollection<Guid> pipelines, string recordDir)
    {
        var ids = deployments.Keys.ToArray();
        var runs = await db.Query<RunRow>(RunsSql, new { Ids = ids });
        var pipelineRuns = await db.Query<PipelineRunRow>(PipelineRunsSql, new { Ids = pipelines.ToArray() });
        var steps = await db.Query<StepRow>(StepsSql, new { Ids = pipelineRuns.Select(r => r.Id).ToArray() });
        var states = new Dictionary<Guid, StateFinding>();
        foreach (var id in ids) states[id] = await db.Read(c => ReadState(c, id));
        var records = deployments.Values.SelectMany(name => ReadRecords(recordDir, name)).ToList();
        return new Evidence
        {
            Deployments = deployments, Runs = runs, PipelineRuns = pipelineRuns, Steps = steps, Records = records, States = states,
        };
    }

    private static async Task<StateFinding> ReadState(Npgsql.NpgsqlConnection connection, Guid deploymentId)
    {
        var schema = $"tfstate_{deploymentId:N}";
        var exists = await connection.ExecuteScalarAsync<bool>("SELECT to_regclass(@Table) IS NOT NULL", new { Table = $"{schema}.states" });
        if (!exists) return new StateFinding(false, false, null);
        var data = await connection.QuerySingleOrDefaultAsync<string>($"SELECT data FROM \"{schema}\".states WHERE name = 'default'");
        if (data is null) return new StateFinding(true, false, null);
        var resources = JsonNode.Parse(data)?["resources"]?.AsArray() ?? [];
        foreach (var resource in resources)
        {
            if (resource?["type"]?.GetValue<string>() != "terraform_data") continue;
            var instances = resource["instances"]?.AsArray() ?? [];
            if (instances.Count == 0) continue;
            var generation = instances[0]?["attributes"]?["triggers_replace"]?["value"]?.ToString();
            return new StateFinding(true, true, generation);
        }
        return new StateFinding(true, false, null);
    }

    public static IEnumerable<RecordLine> ReadRecords(string recordDir, string deploymentName)
    {
        var file = Path.Combine(recordDir, deploymentName + ".log");
        if (!File.Exists(file)) yield break;
        foreach (var line in File.ReadAllLines(file))
        {
            if (line.Length == 0) continue;
            var parts = line.Split(' ');
            var marker = parts.Length > 1 ? parts[1].Split('/') : [];
            Guid? runId = marker.Length > 0 && Guid.TryParseExact(marker[0], "N", out var id) ? id : null;
            yield return new RecordLine(parts[0], runId, marker.Length > 1 ? marker[1] : "", parts.Length > 2 ? parts[2] : "", line);
        }
    }

    public static string Time(DateTime? at) => at?.ToString("HH:mm:ss.fff", CultureInfo.InvariantCulture) ?? "-";
}
