using Amnify.Api.Failures;
using Amnify.Api.Telemetry;
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
/// The only code that changes a deployment run's state: one method per trigger of <see cref="RunStateMachine"/>, each
/// one conditional UPDATE (<c>WHERE status IN (from)</c>, written out whole below, a unit test holding it to its row)
/// inside the caller's transaction, with what must happen in that same transaction: the status event, the deployment's
/// outcome, the deployment lock handed to the next run in line, the pipeline run moved along, and the NOTIFYs (sent once it commits, <see cref="RunNotifications"/>) so workers
/// and live views react at once. A transition whose run is no longer in an expected state changes nothing and answers null.
/// Transitions the worker makes after claiming a run hold only while that worker still holds it (<c>worker_id = @Worker</c>),
/// so a worker whose lease was taken over cannot move a run another worker now works on.
/// </summary>
public sealed class RunTransitions(PipelineOrchestrator pipelines)
{
    /// <summary>A transition that needs nothing but the run.</summary>
    public sealed record Plain(Guid Id);

    /// <summary>A worker holds the run under a lease of LeaseSeconds (taken, or renewed).</summary>
    public sealed record Lease(Guid Id, string Worker, int LeaseSeconds);

    /// <summary>The worker holding the run moves it on.</summary>
    public sealed record Owned(Guid Id, string Worker);

    public sealed record NoChangesPlan(Guid Id, string Worker, string PlanSummary, string PlanText, string PlanJson);

    public sealed record ChangesPlan(Guid Id, string Worker, string PlanSummary, string PlanText, string PlanJson, byte[] PlanEncrypted, string PlanSha256);

    /// <summary>
    /// One person's approval of the gate the run waits at: <paramref name="ActorId"/> is the user (a CI token's owner) the
    /// policy's rules compare, <paramref name="ByAdmin"/> whether they are an admin, <paramref name="PlanSha256"/> the plan
    /// they reviewed (null: whatever the run holds).
    /// </summary>
    public sealed record Approval(Guid Id, string Actor, Guid? ActorId, bool ByAdmin = false, string? Comment = null, string? PlanSha256 = null)
    {
        public Guid ApprovalId { get; } = Guid.CreateVersion7();
    }

    /// <summary>An approver's refusal of the gate the run waits at, with why.</summary>
    public sealed record Rejection(Guid Id, string Actor, Guid? ActorId, bool ByAdmin, string Comment, string? PlanSha256 = null)
    {
        public Guid ApprovalId { get; } = Guid.CreateVersion7();
    }

    /// <summary>What an approval led to.</summary>
    public enum ApprovalOutcome
    {
        /// <summary>Not recorded: the run is not at that gate, the plan is another, or the policy refuses this approver.</summary>
        Refused,
        /// <summary>Recorded; the gate waits for more approvals.</summary>
        Counted,
        /// <summary>Recorded, and it was the last the gate needed: the run moved on.</summary>
        Passed,
    }

    public sealed record Applied(Guid Id, string Worker, string Outputs);

    /// <param name="OwnedBy">The worker failing the run, which must still hold it; null for the lease sweep.</param>
    public sealed record Failed(Guid Id, string Error, string? OwnedBy = null);

    /// <param name="OwnedBy">The worker handing the run back, which must still hold it; null for the lease sweep.</param>
    public sealed record Requeued(Guid Id, string? OwnedBy = null);

    public sealed record Cancellation(Guid Id, string Actor, string? Reason);

    public const string WaitSql = """
        UPDATE deployment_runs SET status = 'pending', event_seq = event_seq + 1
        WHERE id = @Id AND status IN ('queued')
        RETURNING id, deployment_id, operation, status, event_seq, pipeline_run_id
        """;

    public const string UnblockSql = """
        UPDATE deployment_runs SET status = 'queued', event_seq = event_seq + 1
        WHERE id = @Id AND status IN ('pending')
        RETURNING id, deployment_id, operation, status, event_seq, pipeline_run_id
        """;

    public const string ClaimSql = """
        UPDATE deployment_runs SET status = 'initializing', event_seq = event_seq + 1,
            worker_id = @Worker, lease_expires_at = now() + make_interval(secs => @LeaseSeconds), attempt = attempt + 1,
            started_at = COALESCE(started_at, now())
        WHERE id = @Id AND status IN ('queued')
        RETURNING id, deployment_id, operation, status, event_seq, pipeline_run_id
        """;

    public const string StartPlanningSql = """
        UPDATE deployment_runs SET status = 'planning', event_seq = event_seq + 1
        WHERE id = @Id AND status IN ('initializing') AND worker_id = @Worker
        RETURNING id, deployment_id, operation, status, event_seq, pipeline_run_id
        """;

    public const string PlanShowsNoChangesSql = """
        UPDATE deployment_runs SET status = 'noChanges', event_seq = event_seq + 1,
            worker_id = NULL, lease_expires_at = NULL, plan_summary = @PlanSummary::jsonb, plan_text = @PlanText, plan_json = @PlanJson::jsonb,
            planned_at = now(), finished_at = now()
        WHERE id = @Id AND status IN ('planning') AND worker_id = @Worker
        RETURNING id, deployment_id, operation, status, event_seq, pipeline_run_id
        """;

    public const string PlanShowsChangesSql = """
        UPDATE deployment_runs SET status = 'awaitingPlanApproval', event_seq = event_seq + 1,
            worker_id = NULL, lease_expires_at = NULL, plan_summary = @PlanSummary::jsonb, plan_text = @PlanText, plan_json = @PlanJson::jsonb,
            plan_encrypted = @PlanEncrypted, plan_sha256 = @PlanSha256, planned_at = now()
        WHERE id = @Id AND status IN ('planning') AND worker_id = @Worker
        RETURNING id, deployment_id, operation, status, event_seq, pipeline_run_id
        """;

    /// <summary>
    /// Every decision on a run starts by locking its row, so approvals of one run are counted one after the other: two
    /// approvers pressing at once can neither both take the last place nor both miss that the gate is now met.
    /// </summary>
    public const string LockForDecisionSql = "SELECT id FROM deployment_runs WHERE id = @Id FOR UPDATE";

    /// <summary>Records a plan approval when the run waits at that gate, for the plan reviewed, from an approver the snapshot accepts.</summary>
    public const string RecordPlanApprovalSql = $"""
        INSERT INTO run_approvals (id, run_id, gate, decision, user_id, user_name, by_admin, comment, plan_sha256)
        SELECT @ApprovalId, id, 'plan', 'approved', @ActorId, @Actor, @ByAdmin, @Comment, plan_sha256 FROM deployment_runs
        WHERE id = @Id AND status IN ('awaitingPlanApproval') AND plan_sha256 IS NOT NULL
          AND (@PlanSha256::text IS NULL OR plan_sha256 = lower(@PlanSha256)){ApprovalPolicy.ApproverQualifies}{ApprovalPolicy.KeepsTheAdminPlace}
        ON CONFLICT DO NOTHING
        RETURNING id
        """;

    /// <summary>Records an apply approval, likewise, from an approver distinct as the snapshot asks.</summary>
    public const string RecordApplyApprovalSql = $"""
        INSERT INTO run_approvals (id, run_id, gate, decision, user_id, user_name, by_admin, comment, plan_sha256)
        SELECT @ApprovalId, id, 'apply', 'approved', @ActorId, @Actor, @ByAdmin, @Comment, plan_sha256 FROM deployment_runs
        WHERE id = @Id AND status IN ('awaitingApplyApproval') AND plan_sha256 IS NOT NULL
          AND (@PlanSha256::text IS NULL OR plan_sha256 = lower(@PlanSha256)){ApprovalPolicy.ApproverQualifies}{ApprovalPolicy.ApplyApproverIsDistinct}
        ON CONFLICT DO NOTHING
        RETURNING id
        """;

    public const string RecordRejectionSql = $"""
        INSERT INTO run_approvals (id, run_id, gate, decision, user_id, user_name, by_admin, comment, plan_sha256)
        SELECT @ApprovalId, id, CASE WHEN status = 'awaitingPlanApproval' THEN 'plan' ELSE 'apply' END, 'rejected',
               @ActorId, @Actor, @ByAdmin, @Comment, plan_sha256 FROM deployment_runs
        WHERE id = @Id AND status IN ({RunStatuses.Sql.AwaitingApproval}) AND plan_sha256 IS NOT NULL
          AND (@PlanSha256::text IS NULL OR plan_sha256 = lower(@PlanSha256)){ApprovalPolicy.ApproverQualifies}
        RETURNING id
        """;

    /// <summary>
    /// An approval counted while the gate still waits: the same status once more, so live views re-read the progress
    /// (the run's pipeline run, which it answers, shows the progress too).
    /// </summary>
    public const string ApprovalCountedSql = """
        WITH run AS (UPDATE deployment_runs SET event_seq = event_seq + 1 WHERE id = @Id RETURNING id, event_seq, status, pipeline_run_id),
             status_event AS (INSERT INTO run_events (run_id, seq, kind, text) SELECT id, event_seq, 'status', status FROM run)
        SELECT pipeline_run_id FROM run
        """;

    /// <summary>The plan gate passes once the approvals the snapshot asks for are in (the lock makes the count exact).</summary>
    public const string ApprovePlanSql = $"""
        UPDATE deployment_runs SET status = 'awaitingApplyApproval', event_seq = event_seq + 1,
            plan_approved_by = @Actor, plan_approved_by_user_id = @ActorId, plan_approved_at = now()
        WHERE id = @Id AND status IN ('awaitingPlanApproval'){ApprovalPolicy.PlanGateIsMet}
        RETURNING id, deployment_id, operation, status, event_seq, pipeline_run_id
        """;

    /// <summary>The apply gate holds the run to the approval policy snapshotted on it, whatever its deployment or environment says now.</summary>
    public const string ApproveApplySql = $"""
        UPDATE deployment_runs SET status = 'applying', event_seq = event_seq + 1,
            apply_approved_by = @Actor, apply_approved_by_user_id = @ActorId, apply_approved_at = now(), approved_plan_sha256 = plan_sha256
        WHERE id = @Id AND status IN ('awaitingApplyApproval'){ApprovalPolicy.ApplyApproverIsDistinct}{ApprovalPolicy.ApplyGateIsMet}
        RETURNING id, deployment_id, operation, status, event_seq, pipeline_run_id
        """;

    public const string ApproveDestroySql = $"""
        UPDATE deployment_runs SET status = 'destroying', event_seq = event_seq + 1,
            apply_approved_by = @Actor, apply_approved_by_user_id = @ActorId, apply_approved_at = now(), approved_plan_sha256 = plan_sha256
        WHERE id = @Id AND status IN ('awaitingApplyApproval'){ApprovalPolicy.ApplyApproverIsDistinct}{ApprovalPolicy.ApplyGateIsMet}
        RETURNING id, deployment_id, operation, status, event_seq, pipeline_run_id
        """;

    public const string RejectSql = $"""
        UPDATE deployment_runs SET status = 'rejected', event_seq = event_seq + 1, finished_at = now()
        WHERE id = @Id AND status IN ({RunStatuses.Sql.AwaitingApproval})
        RETURNING id, deployment_id, operation, status, event_seq, pipeline_run_id
        """;

    /// <summary>The expiry sweep's transition: only a gate that has really waited longer than the run's own policy allows.</summary>
    public const string ExpireSql = $"""
        UPDATE deployment_runs SET status = 'expired', event_seq = event_seq + 1, finished_at = now(),
            error = 'expired: the ' || CASE WHEN status = 'awaitingPlanApproval' THEN 'plan' ELSE 'apply' END
                || ' waited for approval longer than the ' || (approval_policy->>'approvalTimeoutHours') || ' hours its approval policy allows.'
        WHERE id = @Id AND status IN ({RunStatuses.Sql.AwaitingApproval}){ApprovalPolicy.GateTimedOut}
        RETURNING id, deployment_id, operation, status, event_seq, pipeline_run_id
        """;

    /// <summary>
    /// The status stays; the apply is marked begun. A run may only begin to apply once, and only an approved plan:
    /// an apply whose worker died is never picked up again.
    /// </summary>
    public const string BeginApplySql = $"""
        UPDATE deployment_runs SET
            worker_id = @Worker, lease_expires_at = now() + make_interval(secs => @LeaseSeconds), apply_started_at = now()
        WHERE id = @Id AND status IN ({RunStatuses.Sql.ChangingCloud}) AND apply_started_at IS NULL AND approved_plan_sha256 IS NOT NULL
        RETURNING id, deployment_id, operation, status, event_seq, pipeline_run_id
        """;

    public const string FinishApplySql = """
        UPDATE deployment_runs SET status = 'completed', event_seq = event_seq + 1,
            worker_id = NULL, lease_expires_at = NULL, outputs = @Outputs::jsonb, finished_at = now()
        WHERE id = @Id AND status IN ('applying') AND worker_id = @Worker
        RETURNING id, deployment_id, operation, status, event_seq, pipeline_run_id
        """;

    public const string FinishDestroySql = """
        UPDATE deployment_runs SET status = 'destroyed', event_seq = event_seq + 1,
            worker_id = NULL, lease_expires_at = NULL, outputs = NULL, finished_at = now()
        WHERE id = @Id AND status IN ('destroying') AND worker_id = @Worker
        RETURNING id, deployment_id, operation, status, event_seq, pipeline_run_id
        """;

    public const string FailSql = $"""
        UPDATE deployment_runs SET status = 'failed', event_seq = event_seq + 1,
            worker_id = NULL, lease_expires_at = NULL, error = @Error, finished_at = now()
        WHERE id = @Id AND status IN ({RunStatuses.Sql.Working}) AND (@OwnedBy::text IS NULL OR worker_id = @OwnedBy)
        RETURNING id, deployment_id, operation, status, event_seq, pipeline_run_id
        """;

    /// <summary>Not while applying or destroying: the cloud is being changed and stopping halfway is worse.</summary>
    public const string CancelSql = $"""
        UPDATE deployment_runs SET status = 'cancelled', event_seq = event_seq + 1,
            worker_id = NULL, lease_expires_at = NULL, cancelled_by = @Actor, cancel_reason = @Reason, finished_at = now()
        WHERE id = @Id AND status IN ({RunStatuses.Sql.InLine}, 'initializing', 'planning', {RunStatuses.Sql.AwaitingApproval})
        RETURNING id, deployment_id, operation, status, event_seq, pipeline_run_id
        """;

    public const string RequeueSql = """
        UPDATE deployment_runs SET status = 'queued', event_seq = event_seq + 1,
            worker_id = NULL, lease_expires_at = NULL
        WHERE id = @Id AND status IN ('initializing', 'planning') AND (@OwnedBy::text IS NULL OR worker_id = @OwnedBy)
        RETURNING id, deployment_id, operation, status, event_seq, pipeline_run_id
        """;

    /// <summary>Each trigger's SQL and the record it reads, for the test that holds them to <see cref="RunStateMachine.Table"/>.</summary>
    public static readonly IReadOnlyDictionary<RunTrigger, (string Sql, Type Values)> Statements =
        new Dictionary<RunTrigger, (string, Type)>
        {
            [RunTrigger.Wait] = (WaitSql, typeof(Plain)),
            [RunTrigger.Unblock] = (UnblockSql, typeof(Plain)),
            [RunTrigger.Claim] = (ClaimSql, typeof(Lease)),
            [RunTrigger.StartPlanning] = (StartPlanningSql, typeof(Owned)),
            [RunTrigger.PlanShowsNoChanges] = (PlanShowsNoChangesSql, typeof(NoChangesPlan)),
            [RunTrigger.PlanShowsChanges] = (PlanShowsChangesSql, typeof(ChangesPlan)),
            [RunTrigger.ApprovePlan] = (ApprovePlanSql, typeof(Approval)),
            [RunTrigger.ApproveApply] = (ApproveApplySql, typeof(Approval)),
            [RunTrigger.ApproveDestroy] = (ApproveDestroySql, typeof(Approval)),
            [RunTrigger.BeginApply] = (BeginApplySql, typeof(Lease)),
            [RunTrigger.FinishApply] = (FinishApplySql, typeof(Applied)),
            [RunTrigger.FinishDestroy] = (FinishDestroySql, typeof(Owned)),
            [RunTrigger.Fail] = (FailSql, typeof(Failed)),
            [RunTrigger.Cancel] = (CancelSql, typeof(Cancellation)),
            [RunTrigger.Requeue] = (RequeueSql, typeof(Requeued)),
            [RunTrigger.Reject] = (RejectSql, typeof(Rejection)),
            [RunTrigger.Expire] = (ExpireSql, typeof(Plain)),
        };

    /// <summary>The deployment is locked by another run: wait in line.</summary>
    public Task<TransitionedRun?> Wait(NpgsqlConnection connection, NpgsqlTransaction transaction, Plain run, CancellationToken cancellationToken = default) =>
        Move(connection, transaction, RunTrigger.Wait, WaitSql, run, cancellationToken);

    private Task<TransitionedRun?> Unblock(NpgsqlConnection connection, NpgsqlTransaction transaction, Plain run, CancellationToken cancellationToken = default) =>
        Move(connection, transaction, RunTrigger.Unblock, UnblockSql, run, cancellationToken);

    public Task<TransitionedRun?> Claim(NpgsqlConnection connection, NpgsqlTransaction transaction, Lease lease, CancellationToken cancellationToken = default) =>
        Move(connection, transaction, RunTrigger.Claim, ClaimSql, lease, cancellationToken);

    public Task<TransitionedRun?> StartPlanning(NpgsqlConnection connection, NpgsqlTransaction transaction, Owned run) =>
        Move(connection, transaction, RunTrigger.StartPlanning, StartPlanningSql, run);

    public Task<TransitionedRun?> PlanShowsNoChanges(NpgsqlConnection connection, NpgsqlTransaction transaction, NoChangesPlan plan) =>
        Move(connection, transaction, RunTrigger.PlanShowsNoChanges, PlanShowsNoChangesSql, plan);

    public Task<TransitionedRun?> PlanShowsChanges(NpgsqlConnection connection, NpgsqlTransaction transaction, ChangesPlan plan) =>
        Move(connection, transaction, RunTrigger.PlanShowsChanges, PlanShowsChangesSql, plan);

    /// <summary>Counts a plan approval; the gate passes when it was the last one needed.</summary>
    public Task<ApprovalOutcome> ApprovePlan(NpgsqlConnection connection, NpgsqlTransaction transaction, Approval approval, CancellationToken cancellationToken = default) =>
        Approve(connection, transaction, RecordPlanApprovalSql, RunTrigger.ApprovePlan, ApprovePlanSql, approval, cancellationToken);

    public Task<ApprovalOutcome> ApproveApply(NpgsqlConnection connection, NpgsqlTransaction transaction, Approval approval, CancellationToken cancellationToken = default) =>
        Approve(connection, transaction, RecordApplyApprovalSql, RunTrigger.ApproveApply, ApproveApplySql, approval, cancellationToken);

    public Task<ApprovalOutcome> ApproveDestroy(NpgsqlConnection connection, NpgsqlTransaction transaction, Approval approval, CancellationToken cancellationToken = default) =>
        Approve(connection, transaction, RecordApplyApprovalSql, RunTrigger.ApproveDestroy, ApproveDestroySql, approval, cancellationToken);

    /// <summary>Ends the run rejected at the gate it waits at, the rejection and its comment recorded with it.</summary>
    public async Task<TransitionedRun?> Reject(NpgsqlConnection connection, NpgsqlTransaction transaction, Rejection rejection, CancellationToken cancellationToken = default)
    {
        await connection.ExecuteAsync(new CommandDefinition(LockForDecisionSql, rejection, transaction, cancellationToken: cancellationToken));
        if (await connection.QuerySingleOrDefaultAsync<Guid?>(new CommandDefinition(RecordRejectionSql, rejection, transaction, cancellationToken: cancellationToken)) is null)
            return null;
        return await Move(connection, transaction, RunTrigger.Reject, RejectSql, rejection, cancellationToken);
    }

    public Task<TransitionedRun?> Expire(NpgsqlConnection connection, NpgsqlTransaction transaction, Plain run, CancellationToken cancellationToken = default) =>
        Move(connection, transaction, RunTrigger.Expire, ExpireSql, run, cancellationToken);

    private async Task<ApprovalOutcome> Approve(
        NpgsqlConnection connection, NpgsqlTransaction transaction, string recordSql, RunTrigger trigger, string gateSql, Approval approval,
        CancellationToken cancellationToken)
    {
        await connection.ExecuteAsync(new CommandDefinition(LockForDecisionSql, approval, transaction, cancellationToken: cancellationToken));
        if (await connection.QuerySingleOrDefaultAsync<Guid?>(new CommandDefinition(recordSql, approval, transaction, cancellationToken: cancellationToken)) is null)
            return ApprovalOutcome.Refused;
        if (await Move(connection, transaction, trigger, gateSql, approval, cancellationToken) is not null) return ApprovalOutcome.Passed;
        var pipelineRunId = await connection.QuerySingleAsync<Guid?>(new CommandDefinition(ApprovalCountedSql, approval, transaction, cancellationToken: cancellationToken));
        RunNotifications.Announce(transaction, approval.Id);
        if (pipelineRunId is { } pipelineRun) RunNotifications.Announce(transaction, pipelineRun);
        return ApprovalOutcome.Counted;
    }

    public Task<TransitionedRun?> BeginApply(NpgsqlConnection connection, NpgsqlTransaction transaction, Lease lease, CancellationToken cancellationToken = default) =>
        Move(connection, transaction, RunTrigger.BeginApply, BeginApplySql, lease, cancellationToken);

    public Task<TransitionedRun?> FinishApply(NpgsqlConnection connection, NpgsqlTransaction transaction, Applied applied) =>
        Move(connection, transaction, RunTrigger.FinishApply, FinishApplySql, applied);

    public Task<TransitionedRun?> FinishDestroy(NpgsqlConnection connection, NpgsqlTransaction transaction, Owned run) =>
        Move(connection, transaction, RunTrigger.FinishDestroy, FinishDestroySql, run);

    public Task<TransitionedRun?> Fail(NpgsqlConnection connection, NpgsqlTransaction transaction, Failed failed, CancellationToken cancellationToken = default) =>
        Move(connection, transaction, RunTrigger.Fail, FailSql, failed, cancellationToken);

    public Task<TransitionedRun?> Cancel(NpgsqlConnection connection, NpgsqlTransaction transaction, Cancellation cancellation, CancellationToken cancellationToken = default) =>
        Move(connection, transaction, RunTrigger.Cancel, CancelSql, cancellation, cancellationToken);

    public Task<TransitionedRun?> Requeue(NpgsqlConnection connection, NpgsqlTransaction transaction, Requeued run, CancellationToken cancellationToken = default) =>
        Move(connection, transaction, RunTrigger.Requeue, RequeueSql, run, cancellationToken);

    private const string CurrentStep = """
        SELECT s.deployment_run_id FROM pipeline_run_steps s
        WHERE s.pipeline_run_id = @PipelineRunId AND s.status = 'running'
        """;

    private const string RecordCanceller = "UPDATE pipeline_runs SET cancelled_by = @Actor WHERE id = @PipelineRunId";

    private sealed record PipelineCancellation(Guid PipelineRunId, string Actor);

    /// <summary>
    /// Cancels a pipeline run through its current step: the step's own Cancel transition stops the pipeline run, and
    /// later steps are not run. Here rather than in <see cref="PipelineOrchestrator"/>, which the transitions call into.
    /// </summary>
    public async Task<Result<bool>> CancelPipelineRun(NpgsqlConnection connection, NpgsqlTransaction transaction, Guid pipelineRunId, string actor, string? reason = null)
    {
        var current = await connection.QuerySingleOrDefaultAsync<Guid?>(CurrentStep, new PipelineTransitions.StepsOf(pipelineRunId), transaction);
        if (current is { } runId)
        {
            var cancelled = await Cancel(connection, transaction, new Cancellation(runId, actor, reason ?? "The pipeline run was cancelled."));
            // The step's own transition stopped the pipeline run; if the step could not be cancelled, neither can the pipeline.
            if (cancelled is null)
                return Failure.Conflict("The current step is applying or destroying: the cloud is being changed; wait for the step to finish.");
        }
        else if (!await PipelineTransitions.Cancel(connection, transaction, pipelineRunId, null))
        {
            return Failure.Conflict("The pipeline run has already finished.");
        }
        await connection.ExecuteAsync(RecordCanceller, new PipelineCancellation(pipelineRunId, actor), transaction);
        return true;
    }

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

    private sealed record Outcome(string Status, string Operation, Guid DeploymentId);

    private const string MarkInfrastructure = "UPDATE deployments SET has_infrastructure = true WHERE id = @DeploymentId";

    /// <summary>The deployment lock passes to the oldest run waiting for it (M0003's index deployment_runs_pending).</summary>
    private const string NextInLine = """
        SELECT id FROM deployment_runs WHERE deployment_id = @DeploymentId AND status = 'pending'
        ORDER BY queued_at, id LIMIT 1
        """;

    private const string AddStatusEvent = "INSERT INTO run_events (run_id, seq, kind, text) VALUES (@Id, @Seq, 'status', @Status)";

    private sealed record StatusEvent(Guid Id, int Seq, string Status);

    private async Task<TransitionedRun?> Move(
        NpgsqlConnection connection, NpgsqlTransaction transaction, RunTrigger trigger, string sql, object values, CancellationToken cancellationToken = default)
    {
        var run = await connection.QuerySingleOrDefaultAsync<TransitionedRun>(new CommandDefinition(sql, values, transaction, cancellationToken: cancellationToken));
        if (run is null) return null;
        await TransitionMetrics.Record(connection, transaction, trigger, run);

        var changesStatus = RunStateMachine.Table[trigger].To is not null;
        if (changesStatus)
        {
            await connection.ExecuteAsync(new CommandDefinition(AddStatusEvent, new StatusEvent(run.Id, run.EventSeq, run.Status.Code()), transaction, cancellationToken: cancellationToken));
            RunNotifications.Announce(transaction, run.Id);
        }
        if (trigger == RunTrigger.BeginApply)
            await connection.ExecuteAsync(new CommandDefinition(MarkInfrastructure, run, transaction, cancellationToken: cancellationToken));
        if (run.Status is RunStatus.Queued || trigger is RunTrigger.ApproveApply or RunTrigger.ApproveDestroy)
            RunNotifications.WakeWorkers(transaction);
        if (run.Status.IsTerminal()) await Finished(connection, transaction, run, cancellationToken);
        if (run.PipelineRunId is not null && changesStatus) await pipelines.DeploymentRunChanged(connection, transaction, run);
        return run;
    }

    private async Task Finished(NpgsqlConnection connection, NpgsqlTransaction transaction, TransitionedRun run, CancellationToken cancellationToken)
    {
        await connection.ExecuteAsync(new CommandDefinition(RecordOutcome, new Outcome(run.Status.Code(), run.Operation.Code(), run.DeploymentId), transaction, cancellationToken: cancellationToken));
        if (await connection.QuerySingleOrDefaultAsync<Guid?>(new CommandDefinition(NextInLine, run, transaction, cancellationToken: cancellationToken)) is { } next)
            await Unblock(connection, transaction, new Plain(next), cancellationToken);
    }
}
