using System.Security.Claims;
using System.Text.Json;
using System.Text.Json.Serialization;
using Amnify.Api.Auth;
using Amnify.Api.Engine;
using Amnify.Api.Terraform;
using Dapper;
using Npgsql;

namespace Amnify.Api.Features.DeploymentRuns;

/// <summary>An output of a finished run; a sensitive one is masked.</summary>
public sealed record RunOutput(JsonElement Value, bool Sensitive);

/// <summary>What the caller may do with the run now (decided by <see cref="RunPermissions"/>).</summary>
public sealed record RunActions(bool ApprovePlan, bool ApproveApply, bool Cancel)
{
    /// <summary>Why an approval the run waits for is closed to the caller: four-eyes, or a role below approver.</summary>
    public BlockedRunActions Blocked { get; init; } = new();

    /// <summary>Nothing, until the caller is known.</summary>
    public static readonly RunActions None = new(false, false, false);

    /// <summary>What <paramref name="caller"/> may do with a deployment run in <paramref name="status"/>.</summary>
    public static RunActions For(Caller caller, RunStatus? status, ApprovalFacts run)
    {
        var (plan, apply, cancel) = (RunPermissions.ApprovePlan(caller, status), RunPermissions.ApproveApply(caller, status, run),
            RunPermissions.CancelDeploymentRun(caller, status));
        return new(plan.Allowed, apply.Allowed, cancel.Allowed)
        {
            Blocked = new BlockedRunActions { ApprovePlan = plan.Blocked, ApproveApply = apply.Blocked },
        };
    }
}

/// <summary>Each approval the run waits for that the caller may not give, with the reason to show instead of its button.</summary>
public sealed record BlockedRunActions
{
    public string? ApprovePlan { get; init; }
    public string? ApproveApply { get; init; }
}

/// <summary>The pipeline run a deployment run belongs to: "part of Run #<c>Number</c> of <c>PipelineName</c>".</summary>
public sealed record PipelineRunRef(Guid Id, int Number, Guid PipelineId, string PipelineName);

/// <summary>A status a run entered, and when.</summary>
public sealed record RunStatusChange
{
    public required RunStatus Status { get; init; }
    public required DateTimeOffset At { get; init; }
}

/// <summary>One execute or destroy of a deployment, with who did what and when.</summary>
public sealed record DeploymentRun
{
    public required Guid Id { get; init; }
    public required Guid DeploymentId { get; init; }
    public required string DeploymentName { get; init; }
    public required RunOperation Operation { get; init; }
    public required RunStatus Status { get; init; }
    public Guid? PipelineRunId { get; init; }
    /// <summary>The pipeline run that started this run, so a reader can go back to it; null when run on its own.</summary>
    public PipelineRunRef? PipelineRun { get; init; }
    public required string TemplateVersion { get; init; }
    public required int Attempt { get; init; }
    public required string TriggeredBy { get; init; }
    /// <summary>Who triggered the run by user id (a CI token's owner), as four-eyes compares people; not on the wire.</summary>
    [JsonIgnore] public Guid? TriggeredByUserId { get; init; }
    public required DateTimeOffset QueuedAt { get; init; }
    public DateTimeOffset? StartedAt { get; init; }
    public DateTimeOffset? PlannedAt { get; init; }
    public string? PlanApprovedBy { get; init; }
    [JsonIgnore] public Guid? PlanApprovedByUserId { get; init; }
    public DateTimeOffset? PlanApprovedAt { get; init; }
    public string? ApplyApprovedBy { get; init; }
    public DateTimeOffset? ApplyApprovedAt { get; init; }
    public DateTimeOffset? ApplyStartedAt { get; init; }
    public DateTimeOffset? FinishedAt { get; init; }
    public string? CancelledBy { get; init; }
    public string? CancelReason { get; init; }
    public PlanSummary? Plan { get; init; }
    public Dictionary<string, RunOutput>? Outputs { get; init; }
    public string? Error { get; init; }
    /// <summary>
    /// The four-eyes rule in force for this run, fixed when it was triggered: whoever triggered it or approved its plan
    /// may not approve its apply. Changing the deployment's rule later changes only later runs.
    /// </summary>
    public required bool RequireDistinctApprover { get; init; }
    /// <summary>What the caller may do now, given the run's state, their role and the four-eyes rule.</summary>
    public required RunActions Actions { get; init; }
    /// <summary>Each status the run entered and when, oldest first (from its status events): the phases' durations.
    /// Only on the run itself (<c>GET /deployment-runs/{id}</c>), null in lists.</summary>
    public RunStatusChange[]? StatusChanges { get; init; }

    public DeploymentRun For(ClaimsPrincipal caller) =>
        this with { Actions = RunActions.For(Caller.From(caller), Status, new ApprovalFacts(RequireDistinctApprover, TriggeredByUserId, PlanApprovedByUserId)) };

    internal const string Select = $"""
        SELECT r.id, r.deployment_id, d.name AS deployment_name, r.operation, r.status, r.pipeline_run_id,
               left(v.content_hash, 12) AS template_version, r.attempt, r.triggered_by, r.triggered_by_user_id, r.queued_at, r.started_at,
               r.planned_at, r.plan_approved_by, r.plan_approved_by_user_id, r.plan_approved_at, r.apply_approved_by, r.apply_approved_at,
               r.apply_started_at, r.finished_at, r.cancelled_by, r.cancel_reason,
               r.plan_summary AS plan, r.outputs, r.error, {ApprovalPolicy.RequiresDistinctApprover} AS require_distinct_approver,
               CASE WHEN pr.id IS NOT NULL THEN json_build_object('id', pr.id, 'number', pr.number, 'pipelineId', pr.pipeline_id, 'pipelineName', pp.name) END AS pipeline_run
        FROM deployment_runs r
        JOIN deployments d ON d.id = r.deployment_id
        JOIN template_versions v ON v.id = r.template_version_id
        LEFT JOIN pipeline_runs pr ON pr.id = r.pipeline_run_id
        LEFT JOIN pipelines pp ON pp.id = pr.pipeline_id
        """;

    internal static async Task<DeploymentRun?> Load(NpgsqlConnection connection, Guid id, NpgsqlTransaction? transaction, CancellationToken cancellationToken) =>
        (await connection.QuerySingleOrDefaultAsync<DeploymentRun>(new CommandDefinition($"{Select} WHERE r.id = @id", new { id }, transaction, cancellationToken: cancellationToken)))?.WithActions();

    /// <summary>No actions until <see cref="For"/> knows the caller: an answer that forgets to ask offers nothing.</summary>
    internal DeploymentRun WithActions() => this with { Actions = RunActions.None };
}
