using Dapper;
using Npgsql;

namespace Amnify.Api.Engine;

/// <summary>The run as a transition returns it, for the side effects that follow.</summary>
public sealed record TransitionedRun
{
    public required Guid Id { get; init; }
    public required Guid DeploymentId { get; init; }
    public required RunOperation Operation { get; init; }
    public required RunStatus Status { get; init; }
    public required int EventSeq { get; init; }
    public Guid? PipelineRunId { get; init; }
}

/// <summary>
/// The only code that changes a run's state: each trigger of <see cref="RunStateMachine"/> is one
/// conditional UPDATE (<c>WHERE status = ANY(from)</c>) inside the caller's transaction, with what must
/// happen in that same transaction: the status event, the deployment's outcome, the deployment lock
/// handed to the next run in line, and a NOTIFY so workers and live views react at once.
/// A transition whose run is no longer in an expected state changes nothing and answers null.
/// </summary>
public sealed class RunTransitions(PipelineOrchestrator pipelines)
{
    public const string QueueChannel = "amnify_run_queue";
    public const string EventsChannel = "amnify_run_events";

    /// <summary>The columns each trigger sets besides the status, with their parameters.</summary>
    private static readonly Dictionary<RunTrigger, string> Sets = new()
    {
        [RunTrigger.Wait] = "",
        [RunTrigger.Unblock] = "",
        [RunTrigger.Claim] = "worker_id = @Worker, lease_expires_at = now() + make_interval(secs => @LeaseSeconds), attempt = attempt + 1, started_at = COALESCE(started_at, now())",
        [RunTrigger.StartPlanning] = "",
        [RunTrigger.PlanShowsNoChanges] = "worker_id = NULL, lease_expires_at = NULL, plan_summary = @PlanSummary::jsonb, plan_text = @PlanText, planned_at = now(), finished_at = now()",
        [RunTrigger.PlanShowsChanges] = "worker_id = NULL, lease_expires_at = NULL, plan_summary = @PlanSummary::jsonb, plan_text = @PlanText, plan_encrypted = @PlanEncrypted, plan_sha256 = @PlanSha256, planned_at = now()",
        [RunTrigger.ApprovePlan] = "plan_approved_by = @Actor, plan_approved_by_user_id = @ActorId, plan_approved_at = now()",
        [RunTrigger.ApproveApply] = "apply_approved_by = @Actor, apply_approved_by_user_id = @ActorId, apply_approved_at = now(), approved_plan_sha256 = plan_sha256",
        [RunTrigger.ApproveDestroy] = "apply_approved_by = @Actor, apply_approved_by_user_id = @ActorId, apply_approved_at = now(), approved_plan_sha256 = plan_sha256",
        [RunTrigger.BeginApply] = "worker_id = @Worker, lease_expires_at = now() + make_interval(secs => @LeaseSeconds), apply_started_at = now()",
        [RunTrigger.FinishApply] = "worker_id = NULL, lease_expires_at = NULL, outputs = @Outputs::jsonb, finished_at = now()",
        [RunTrigger.FinishDestroy] = "worker_id = NULL, lease_expires_at = NULL, outputs = NULL, finished_at = now()",
        [RunTrigger.Fail] = "worker_id = NULL, lease_expires_at = NULL, error = @Error, finished_at = now()",
        [RunTrigger.Cancel] = "worker_id = NULL, lease_expires_at = NULL, cancelled_by = @Actor, cancel_reason = @Reason, finished_at = now()",
        [RunTrigger.Requeue] = "worker_id = NULL, lease_expires_at = NULL",
    };

    // A run may only begin to apply once; an apply whose worker died is never picked up again.
    // The apply gate holds the run to the approval policy snapshotted on it, whatever its deployment says now.
    private static readonly Dictionary<RunTrigger, string> ExtraConditions = new()
    {
        [RunTrigger.BeginApply] = " AND apply_started_at IS NULL AND approved_plan_sha256 IS NOT NULL",
        [RunTrigger.ApproveApply] = ApprovalPolicy.ApplyApproverIsDistinct,
        [RunTrigger.ApproveDestroy] = ApprovalPolicy.ApplyApproverIsDistinct,
    };

    /// <summary>What the deployment shows after a run ends this way.</summary>
    private const string RecordOutcome = """
        UPDATE deployments SET
            outcome = CASE
                WHEN @Status = 'completed' THEN 'deployed'
                WHEN @Status = 'destroyed' THEN 'destroyed'
                WHEN @Status = 'noChanges' AND @Operation = 'destroy' THEN 'destroyed'
                WHEN @Status = 'noChanges' AND outcome = 'neverDeployed' THEN 'deployed'
                WHEN @Status = 'failed' THEN 'failed'
                ELSE outcome END,
            has_infrastructure = CASE
                WHEN @Status = 'destroyed' OR (@Status = 'noChanges' AND @Operation = 'destroy') THEN false
                ELSE has_infrastructure END,
            updated_at = now()
        WHERE id = @DeploymentId
        """;

    private const string MarkInfrastructure = "UPDATE deployments SET has_infrastructure = true WHERE id = @DeploymentId";

    /// <summary>The deployment lock passes to the oldest run waiting for it.</summary>
    private const string NextInLine = """
        SELECT id FROM deployment_runs WHERE deployment_id = @DeploymentId AND status = 'pending'
        ORDER BY queued_at, id LIMIT 1
        """;

    private const string AddStatusEvent = """
        INSERT INTO run_events (run_id, seq, kind, text) VALUES (@Id, @Seq, 'status', @Status);
        SELECT pg_notify('amnify_run_events', @Id::text);
        """;

    /// <param name="ownedBy">
    /// The worker making the change: it only applies while that worker still holds the run, so a worker
    /// whose lease was taken over cannot move a run another worker now works on.
    /// </param>
    public async Task<TransitionedRun?> Apply(
        NpgsqlConnection connection, NpgsqlTransaction transaction, Guid runId, RunTrigger trigger, object? values = null, string? ownedBy = null)
    {
        var (from, to) = RunStateMachine.Table[trigger];
        var set = string.Join(", ", new[] { to is null ? "" : "status = @To, event_seq = event_seq + 1", Sets[trigger] }.Where(s => s.Length > 0));
        var sql = $"""
            UPDATE deployment_runs SET {set}
            WHERE id = @Id AND status = ANY(@From){ExtraConditions.GetValueOrDefault(trigger, "")}{(ownedBy is null ? "" : " AND worker_id = @OwnedBy")}
            RETURNING id, deployment_id, operation, status, event_seq, pipeline_run_id
            """;
        var parameters = new DynamicParameters(values);
        parameters.Add("Id", runId);
        if (ownedBy is not null) parameters.Add("OwnedBy", ownedBy);
        parameters.Add("From", from.Select(s => s.Code()).ToArray());
        if (to is not null) parameters.Add("To", to.Value.Code());
        var run = await connection.QuerySingleOrDefaultAsync<TransitionedRun>(sql, parameters, transaction);
        if (run is null) return null;

        if (to is not null)
            await connection.ExecuteAsync(AddStatusEvent, new { run.Id, Seq = run.EventSeq, Status = run.Status.Code() }, transaction);
        if (trigger == RunTrigger.BeginApply)
            await connection.ExecuteAsync(MarkInfrastructure, new { run.DeploymentId }, transaction);
        if (run.Status is RunStatus.Queued || trigger is RunTrigger.ApproveApply or RunTrigger.ApproveDestroy)
            await Notify(connection, transaction, QueueChannel);
        if (run.Status.IsTerminal()) await Finished(connection, transaction, run);
        if (run.PipelineRunId is not null && to is not null) await pipelines.DeploymentRunChanged(connection, transaction, run);
        return run;
    }

    private async Task Finished(NpgsqlConnection connection, NpgsqlTransaction transaction, TransitionedRun run)
    {
        await connection.ExecuteAsync(RecordOutcome, new
        {
            Status = run.Status.Code(), Operation = run.Operation.Code(), run.DeploymentId,
        }, transaction);
        if (await connection.QuerySingleOrDefaultAsync<Guid?>(NextInLine, new { run.DeploymentId }, transaction) is { } next)
            await Apply(connection, transaction, next, RunTrigger.Unblock);
    }

    private static Task Notify(NpgsqlConnection connection, NpgsqlTransaction transaction, string channel) =>
        connection.ExecuteAsync($"NOTIFY {channel}", transaction: transaction);
}
