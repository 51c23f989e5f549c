using System.Security.Claims;
using Amnify.Api.Engine;

namespace Amnify.Api.Auth;

/// <summary>Who asks, as permissions see them: a role (none for a pipeline trigger token) and a user id (none for a token without a user).</summary>
public sealed record Caller(Role? Role, Guid? UserId)
{
    public static Caller From(ClaimsPrincipal user) => new(
        Enum.TryParse<Role>(user.FindFirstValue(ClaimTypes.Role), ignoreCase: true, out var role) ? role : null,
        Guid.TryParse(user.FindFirstValue(ClaimTypes.NameIdentifier), out var id) ? id : null);

    /// <summary>May change things at all. Read-only callers (viewers, pipeline tokens) follow runs and are shown no controls, so no reasons either.</summary>
    public bool Acts => Role >= Auth.Role.Operator;
}

/// <summary>Whether the caller may take an action now; when the run's state offers it but a rule closes it to them, why.</summary>
public readonly record struct Permit(bool Allowed, string? Blocked = null)
{
    public static readonly Permit Open = new(true);
    public static readonly Permit Closed = new(false);
}

/// <summary>
/// The one place that decides what a caller may do with a run now — its state, the caller's role and the run's four-eyes
/// rule — for every answer that carries <c>actions</c> (deployment runs, pipeline runs and their steps). The SPA shows
/// exactly these; the endpoints' policies and the transitions' conditional UPDATEs enforce the same rules.
/// </summary>
public static class RunPermissions
{
    /// <summary>The least role that approves, as <see cref="Policies.Approve"/> requires.</summary>
    public const Role Approves = Role.Approver;

    /// <summary>The least role that cancels a run, as <see cref="Policies.Operate"/> requires.</summary>
    public const Role Cancels = Role.Operator;

    public const string AnotherApproverIsNeeded = "Another approver is needed";

    public static Permit ApprovePlan(Caller caller, RunStatus? status) =>
        status == RunStatus.AwaitingPlanApproval ? ByRole(caller, Approves) : Permit.Closed;

    public static Permit ApproveApply(Caller caller, RunStatus? status, ApprovalFacts run)
    {
        if (status != RunStatus.AwaitingApplyApproval) return Permit.Closed;
        var byRole = ByRole(caller, Approves);
        if (!byRole.Allowed) return byRole;
        return ApplyApproverRefusal(caller.UserId, run) is { } reason ? new Permit(false, reason) : Permit.Open;
    }

    public static Permit CancelDeploymentRun(Caller caller, RunStatus? status) =>
        status is { } s && RunStateMachine.Allows(s, RunTrigger.Cancel) ? ByRole(caller, Cancels) : Permit.Closed;

    public static Permit CancelPipelineRun(Caller caller, PipelineRunStatus status) =>
        status is PipelineRunStatus.Queued or PipelineRunStatus.Running or PipelineRunStatus.AwaitingApproval
            ? ByRole(caller, Cancels)
            : Permit.Closed;

    /// <summary>A failed or cancelled pipeline run can be resumed by an operator while no other run of its pipeline is active.</summary>
    public static Permit ResumePipelineRun(Caller caller, PipelineRunStatus status, bool pipelineBusy) =>
        status is PipelineRunStatus.Failed or PipelineRunStatus.Cancelled && !pipelineBusy ? ByRole(caller, Cancels) : Permit.Closed;

    /// <summary>
    /// Four-eyes, in C#: with the run's rule, whoever triggered the run (for a CI token, its owner) or approved its plan
    /// may not approve its apply, and an approver must be known by user id. Null when <paramref name="approver"/> may;
    /// otherwise why not, in words for that person. The apply transition's UPDATE checks the same rule in SQL
    /// (<see cref="ApprovalPolicy.ApplyApproverIsDistinct"/>); ApproveApply asks this first to explain a refusal.
    /// </summary>
    public static string? ApplyApproverRefusal(Guid? approver, ApprovalFacts run)
    {
        if (!ApprovalPolicy.RefusesApplyApprover(run.RequireDistinctApprover, approver, run.TriggeredByUserId, run.PlanApprovedByUserId)) return null;
        return approver is null ? $"{AnotherApproverIsNeeded}: this run needs an approver with a user account"
            : approver == run.TriggeredByUserId ? $"{AnotherApproverIsNeeded}: you triggered this run"
            : $"{AnotherApproverIsNeeded}: you approved its plan";
    }

    /// <summary>A role below the one needed closes the action; those who act on runs are told which role it takes.</summary>
    private static Permit ByRole(Caller caller, Role needed) =>
        caller.Role >= needed ? Permit.Open : new Permit(false, caller.Acts ? $"Needs the {needed.Code()} role" : null);
}

/// <summary>What four-eyes looks at on a run: its own rule (snapshotted when triggered) and who triggered it and approved its plan.</summary>
public readonly record struct ApprovalFacts(bool RequireDistinctApprover, Guid? TriggeredByUserId, Guid? PlanApprovedByUserId);
