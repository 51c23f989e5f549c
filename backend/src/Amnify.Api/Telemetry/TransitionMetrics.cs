using Amnify.Api.Engine;
using Dapper;
using Npgsql;

namespace Amnify.Api.Telemetry;

/// <summary>
/// What a run transition tells the metrics: the status it entered, and for a first claim or an approval, how long the
/// run waited for it (read from the run's own timestamps in the transition's transaction, so every process agrees).
/// Counted when the transition is made: a transaction that rolls back after it (rare: its request failed later) still counts.
/// </summary>
public static class TransitionMetrics
{
    // now() is the transaction's start: the moment of the claim or approval, give or take the transaction's few ms.
    // A run claimed again after its worker was lost is not counted twice: its wait was its first claim's.
    private const string QueueWait = """
        SELECT EXTRACT(EPOCH FROM now() - queued_at)::float8 FROM deployment_runs WHERE id = @Id AND attempt = 1
        """;

    private const string PlanGateWait = """
        SELECT EXTRACT(EPOCH FROM now() - planned_at)::float8 FROM deployment_runs WHERE id = @Id
        """;

    private const string ApplyGateWait = """
        SELECT EXTRACT(EPOCH FROM now() - plan_approved_at)::float8 FROM deployment_runs WHERE id = @Id
        """;

    private sealed record RunId(Guid Id);

    public static async Task Record(NpgsqlConnection connection, NpgsqlTransaction transaction, RunTrigger trigger, TransitionedRun run)
    {
        if (RunStateMachine.Table[trigger].To is not null) AmnifyMetrics.RecordRun(run.Operation, run.Status);
        (string? Sql, string? Gate) wait = trigger switch
        {
            RunTrigger.Claim => (QueueWait, null),
            RunTrigger.ApprovePlan => (PlanGateWait, "plan"),
            RunTrigger.ApproveApply or RunTrigger.ApproveDestroy => (ApplyGateWait, "apply"),
            _ => (null, null),
        };
        if (wait.Sql is not { } sql || !AmnifyMetrics.WaitsEnabled) return;
        var seconds = await connection.ExecuteScalarAsync<double?>(new CommandDefinition(sql, new RunId(run.Id), transaction));
        if (seconds is not { } waited) return;
        if (wait.Gate is { } gate) AmnifyMetrics.RecordApprovalWait(gate, run.Operation, waited);
        else AmnifyMetrics.RecordQueueWait(run.Operation, waited);
    }
}
