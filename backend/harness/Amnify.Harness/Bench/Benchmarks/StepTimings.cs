using Npgsql;

namespace Amnify.Harness.Bench.Benchmarks;

/// <summary>The timestamps the engine recorded for one step of a pipeline run (deployment_runs + pipeline_run_steps).</summary>
public sealed record StepTiming(
    Guid PipelineRunId, int Position, Guid DeploymentRunId, string Status, DateTime PipelineCreatedAt, DateTime? PipelineFinishedAt,
    DateTime QueuedAt, DateTime? StartedAt, DateTime? PlannedAt, DateTime? PlanApprovedAt, DateTime? ApplyApprovedAt,
    DateTime? ApplyStartedAt, DateTime? FinishedAt);

public static class StepTimings
{
    private const string Sql = """
        SELECT s.pipeline_run_id, s.position, r.id, r.status, p.created_at, p.finished_at, r.queued_at, r.started_at, r.planned_at,
               r.plan_approved_at, r.apply_approved_at, r.apply_started_at, r.finished_at
        FROM pipeline_run_steps s
        JOIN pipeline_runs p ON p.id = s.pipeline_run_id
        JOIN deployment_runs r ON r.id = s.deployment_run_id
        WHERE s.pipeline_run_id = ANY(@ids)
        ORDER BY s.pipeline_run_id, s.position
        """;

    public static async Task<List<StepTiming>> Load(NpgsqlDataSource db, IEnumerable<Guid> pipelineRunIds)
    {
        await using var command = db.CreateCommand(Sql);
        command.Parameters.AddWithValue("ids", pipelineRunIds.ToArray());
        await using var r = await command.ExecuteReaderAsync();
        var rows = new List<StepTiming>();
        DateTime? At(int i) => r.IsDBNull(i) ? null : r.GetDateTime(i);
        while (await r.ReadAsync())
            rows.Add(new StepTiming(r.GetGuid(0), r.GetInt32(1), r.GetGuid(2), r.GetString(3), r.GetDateTime(4), At(5), r.GetDateTime(6),
                At(7), At(8), At(9), At(10), At(11), At(12)));
        return rows;
    }

    /// <summary>Previous step's run finished → next step's run started, for every consecutive pair of every pipeline run.</summary>
    public static List<double> DispatchMs(IEnumerable<StepTiming> steps) =>
        steps.GroupBy(s => s.PipelineRunId)
            .SelectMany(g => g.OrderBy(s => s.Position).Zip(g.OrderBy(s => s.Position).Skip(1)))
            .Where(p => p.First.FinishedAt is not null && p.Second.StartedAt is not null)
            .Select(p => (p.Second.StartedAt!.Value - p.First.FinishedAt!.Value).TotalMilliseconds)
            .ToList();

    /// <summary>The steps that started at plan in a directory prepared while the step before ran (the engine's log line says so).</summary>
    public static async Task<int> PreparedSteps(NpgsqlDataSource db, IEnumerable<StepTiming> steps)
    {
        await using var command = db.CreateCommand("""
            SELECT count(DISTINCT run_id)::int FROM run_events
            WHERE run_id = ANY(@ids) AND kind = 'log' AND text = 'Prepared while the previous step ran: already initialised.'
            """);
        command.Parameters.AddWithValue("ids", steps.Select(s => s.DeploymentRunId).ToArray());
        return (int)(await command.ExecuteScalarAsync())!;
    }

    public static double Mean(IEnumerable<StepTiming> steps, Func<StepTiming, DateTime?> from, Func<StepTiming, DateTime?> to)
    {
        var values = steps.Where(s => from(s) is not null && to(s) is not null).Select(s => (to(s)!.Value - from(s)!.Value).TotalMilliseconds).ToList();
        return values.Count == 0 ? double.NaN : values.Average();
    }
}
