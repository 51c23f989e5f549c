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

/// <summary>What the caller may do with the run now.</summary>
public sealed record RunActions(bool ApprovePlan, bool ApproveApply, bool Cancel);

/// <summary>One execute or destroy of a deployment, with who did what and when.</summary>
public sealed record DeploymentRun
{
    public required Guid Id { get; init; }
    public required Guid DeploymentId { get; init; }
    public required string DeploymentName { get; init; }
    public required RunOperation Operation { get; init; }
    public required RunStatus Status { get; init; }
    public Guid? PipelineRunId { get; init; }
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

    public DeploymentRun For(ClaimsPrincipal caller)
    {
        var role = Enum.TryParse<Role>(caller.FindFirstValue(ClaimTypes.Role), ignoreCase: true, out var r) ? r : (Role?)null;
        var callerId = Guid.TryParse(caller.FindFirstValue(ClaimTypes.NameIdentifier), out var id) ? id : (Guid?)null;
        var fourEyes = ApprovalPolicy.RefusesApplyApprover(RequireDistinctApprover, callerId, TriggeredByUserId, PlanApprovedByUserId);
        return this with
        {
            Actions = new RunActions(
                Actions.ApprovePlan && role >= Role.Approver,
                Actions.ApproveApply && role >= Role.Approver && !fourEyes,
                Actions.Cancel && role >= Role.Operator),
        };
    }

    internal const string Select = $"""
        SELECT r.id, r.deployment_id, d.name AS deployment_name, r.operation, r.status, r.pipeline_run_id,
               left(v.content_hash, 12) AS template_version, r.attempt, r.triggered_by, r.triggered_by_user_id, r.queued_at, r.started_at,
               r.planned_at, r.plan_approved_by, r.plan_approved_by_user_id, r.plan_approved_at, r.apply_approved_by, r.apply_approved_at,
               r.apply_started_at, r.finished_at, r.cancelled_by, r.cancel_reason,
               r.plan_summary AS plan, r.outputs, r.error, {ApprovalPolicy.RequiresDistinctApprover} AS require_distinct_approver
        FROM deployment_runs r
        JOIN deployments d ON d.id = r.deployment_id
        JOIN template_versions v ON v.id = r.template_version_id
        """;

    internal static async Task<DeploymentRun?> Load(NpgsqlConnection connection, Guid id, NpgsqlTransaction? transaction, CancellationToken cancellationToken) =>
        (await connection.QuerySingleOrDefaultAsync<DeploymentRun>(new CommandDefinition($"{Select} WHERE r.id = @id", new { id }, transaction, cancellationToken: cancellationToken)))?.WithActions();

    /// <summary>What the run's state allows, before the caller is considered (<see cref="For"/>).</summary>
    internal DeploymentRun WithActions() => this with
    {
        Actions = new RunActions(
            Status == RunStatus.AwaitingPlanApproval,
            Status == RunStatus.AwaitingApplyApproval,
            RunStateMachine.Allows(Status, RunTrigger.Cancel)),
    };
}
