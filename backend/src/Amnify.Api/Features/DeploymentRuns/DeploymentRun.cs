using System.Security.Claims;
using System.Text.Json;
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
    public required DateTimeOffset QueuedAt { get; init; }
    public DateTimeOffset? StartedAt { get; init; }
    public DateTimeOffset? PlannedAt { get; init; }
    public string? PlanApprovedBy { get; init; }
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
    public required bool RequireDistinctApprover { get; init; }
    /// <summary>What the caller may do now, given the run's state, their role and the four-eyes rule.</summary>
    public required RunActions Actions { get; init; }

    public DeploymentRun For(ClaimsPrincipal caller)
    {
        var role = Enum.TryParse<Role>(caller.FindFirstValue(ClaimTypes.Role), ignoreCase: true, out var r) ? r : (Role?)null;
        var actor = caller.Identity?.Name;
        var fourEyes = RequireDistinctApprover && (actor == TriggeredBy || actor == PlanApprovedBy);
        return this with
        {
            Actions = new RunActions(
                Actions.ApprovePlan && role >= Role.Approver,
                Actions.ApproveApply && role >= Role.Approver && !fourEyes,
                Actions.Cancel && role >= Role.Operator),
        };
    }

    internal const string Select = """
        SELECT r.id, r.deployment_id, d.name AS deployment_name, r.operation, r.status, r.pipeline_run_id,
               left(v.content_hash, 12) AS template_version, r.attempt, r.triggered_by, r.queued_at, r.started_at,
               r.planned_at, r.plan_approved_by, r.plan_approved_at, r.apply_approved_by, r.apply_approved_at,
               r.apply_started_at, r.finished_at, r.cancelled_by, r.cancel_reason,
               r.plan_summary AS plan, r.outputs, r.error, d.require_distinct_approver
        FROM deployment_runs r
        JOIN deployments d ON d.id = r.deployment_id
        JOIN template_versions v ON v.id = r.template_version_id
        """;

    internal static async Task<DeploymentRun?> Load(NpgsqlConnection connection, Guid id, NpgsqlTransaction? transaction = null) =>
        (await connection.QuerySingleOrDefaultAsync<DeploymentRun>($"{Select} WHERE r.id = @id", new { id }, transaction))?.WithActions();

    /// <summary>What the run's state allows, before the caller is considered (<see cref="For"/>).</summary>
    internal DeploymentRun WithActions() => this with
    {
        Actions = new RunActions(
            Status == RunStatus.AwaitingPlanApproval,
            Status == RunStatus.AwaitingApplyApproval,
            RunStateMachine.Allows(Status, RunTrigger.Cancel)),
    };
}
