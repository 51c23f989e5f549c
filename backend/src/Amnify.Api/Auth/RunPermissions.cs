using System.Security.Claims;
using Amnify.Api.Engine;

namespace Amnify.Api.Auth;

/// <summary>Who asks, as permissions see them: a role (none for a pipeline trigger token) and a user id (none for a token without a user).</summary>
public sealed record Caller(Role? Role, Guid? UserId)
{
    private static readonly Caller Anonymous = new(null, null);

    /// <summary>Parsed once per verified credential (<see cref="AmnifyIdentity"/>); anyone not authenticated has neither.</summary>
    public static Caller From(ClaimsPrincipal user) => AmnifyIdentity.Of(user)?.Caller ?? Anonymous;

    /// <summary>May change things at all. Read-only callers (viewers, pipeline tokens) follow runs and are shown no controls, so no reasons either.</summary>
    public bool Acts => Role >= Auth.Role.Operator;

    public bool IsAdmin => Role == Auth.Role.Admin;
}

/// <summary>Whether the caller may take an action now; when the run's state offers it but a rule closes it to them, why.</summary>
public readonly record struct Permit(bool Allowed, string? Blocked = null)
{
    public static readonly Permit Open = new(true);
    public static readonly Permit Closed = new(false);
}

/// <summary>Why the approval policy closes a gate to someone; the kind decides the answer's status.</summary>
public enum RefusalKind
{
    /// <summary>Their role is below the policy's approver role.</summary>
    Role,
    /// <summary>They already approved this gate: others must give the remaining approvals.</summary>
    AlreadyApproved,
    /// <summary>A distinctness rule (or a missing user id) excludes them.</summary>
    NotDistinct,
    /// <summary>Only an admin may give the remaining approval of a destroying plan.</summary>
    AdminNeeded,
}

public sealed record Refusal(RefusalKind Kind, string Reason);

/// <summary>
/// The one place that decides what a caller may do with a run now — its state, the caller's role and the run's approval
/// policy snapshot with the approvals given so far — for every answer that carries <c>actions</c> (deployment runs,
/// pipeline runs and their steps) and the approvers' inbox. The SPA shows exactly these; the endpoints' policies and the
/// transitions' conditional SQL (<see cref="ApprovalPolicy"/>) enforce the same rules.
/// </summary>
public static class RunPermissions
{
    /// <summary>The least role that approves, as <see cref="Policies.Approve"/> requires; a policy may ask for admins.</summary>
    public const Role Approves = Role.Approver;

    /// <summary>The least role that cancels a run, as <see cref="Policies.Operate"/> requires.</summary>
    public const Role Cancels = Role.Operator;

    public const string AnotherApproverIsNeeded = "Another approver is needed";

    public static Permit ApprovePlan(Caller caller, RunStatus? status, ApprovalFacts run) => Decide(caller, status, ApprovalGate.Plan, run);

    public static Permit ApproveApply(Caller caller, RunStatus? status, ApprovalFacts run) => Decide(caller, status, ApprovalGate.Apply, run);

    /// <summary>Rejecting a gate is deciding it: open to whoever may approve it now.</summary>
    public static Permit Reject(Caller caller, RunStatus? status, ApprovalFacts run) =>
        ApprovalPolicy.GateOf(status) is { } gate ? Decide(caller, status, gate, run) : Permit.Closed;

    public static Permit CancelDeploymentRun(Caller caller, RunStatus? status) =>
        status is { } s && RunStateMachine.Allows(s, RunTrigger.Cancel) ? ByRole(caller, Cancels) : Permit.Closed;

    public static Permit CancelPipelineRun(Caller caller, PipelineRunStatus status) =>
        status is PipelineRunStatus.Queued or PipelineRunStatus.Running or PipelineRunStatus.AwaitingApproval
            ? ByRole(caller, Cancels)
            : Permit.Closed;

    /// <summary>A stopped pipeline run (failed, cancelled, rejected, expired) can be resumed by an operator while no other run of its pipeline is active.</summary>
    public static Permit ResumePipelineRun(Caller caller, PipelineRunStatus status, bool pipelineBusy) =>
        status.CanResume() && !pipelineBusy ? ByRole(caller, Cancels) : Permit.Closed;

    private static Permit Decide(Caller caller, RunStatus? status, ApprovalGate gate, ApprovalFacts run)
    {
        if (ApprovalPolicy.GateOf(status) != gate) return Permit.Closed;
        if (!caller.Acts) return Permit.Closed;
        return Refusal(caller, gate, run) is { } refusal ? new Permit(false, refusal.Reason) : Permit.Open;
    }

    /// <summary>
    /// The approval policy in C#, for a run waiting at <paramref name="gate"/>: null when <paramref name="caller"/> may
    /// approve it now, otherwise why not, in words for that person. The transitions' SQL checks the same rules; the
    /// approve and reject handlers ask this first (under the run's row lock) to explain a refusal.
    /// </summary>
    public static Refusal? Refusal(Caller caller, ApprovalGate gate, ApprovalFacts run)
    {
        var policy = run.Policy;
        var needed = policy.ApproverRole == ApproverRole.Admin ? Role.Admin : Approves;
        if (caller.Role < needed || caller.Role is null) return new(RefusalKind.Role, $"Needs the {needed.Code()} role");
        if (caller.UserId is not { } me) return new(RefusalKind.NotDistinct, $"{AnotherApproverIsNeeded}: this run needs an approver with a user account");
        if (run.ApprovedBy(gate, me))
            return new(RefusalKind.AlreadyApproved, $"{AnotherApproverIsNeeded}: you approved ({run.Progress(gate).Text})");
        if (gate == ApprovalGate.Apply && policy.DistinctFromTrigger && me == run.TriggeredByUserId)
            return new(RefusalKind.NotDistinct, $"{AnotherApproverIsNeeded}: you triggered this run");
        if (gate == ApprovalGate.Apply && policy.DistinctBetweenGates && run.ApprovedBy(ApprovalGate.Plan, me))
            return new(RefusalKind.NotDistinct, $"{AnotherApproverIsNeeded}: you approved its plan");
        if (policy.NeedsAdmin(gate, run.PlanDestroys) && !caller.IsAdmin && !run.AdminApproved(gate) && run.Count(gate) >= policy.PlanApprovals)
            return new(RefusalKind.AdminNeeded, $"An admin must give the remaining approval: the plan destroys or replaces resources ({run.Progress(gate).Text})");
        return null;
    }

    /// <summary>A role below the one needed closes the action; those who act on runs are told which role it takes.</summary>
    private static Permit ByRole(Caller caller, Role needed) =>
        caller.Role >= needed ? Permit.Open : new Permit(false, caller.Acts ? $"Needs the {needed.Code()} role" : null);
}

/// <summary>One approval counted at a gate of the plan the run holds now.</summary>
public readonly record struct GateApproval(ApprovalGate Gate, Guid? UserId, bool ByAdmin);

/// <summary>How far a gate is: approvals given of those required (one of them from an admin for a destroying plan, when asked).</summary>
public sealed record ApprovalProgress(ApprovalGate Gate, int Approvals, int Required, bool AdminRequired)
{
    /// <summary>For people, e.g. "1 of 2 approvals".</summary>
    public string Text => $"{Approvals} of {Required} approvals" + (AdminRequired ? ", one from an admin" : "");
}

/// <summary>What the approval policy looks at on a run: its own snapshot, who triggered it, the approvals of its current plan.</summary>
public sealed record ApprovalFacts(ApprovalPolicy Policy, Guid? TriggeredByUserId, IReadOnlyList<GateApproval> Approvals, bool PlanDestroys)
{
    public int Count(ApprovalGate gate) => Approvals.Where(a => a.Gate == gate).Select(a => a.UserId).Distinct().Count();

    public bool ApprovedBy(ApprovalGate gate, Guid user) => Approvals.Any(a => a.Gate == gate && a.UserId == user);

    public bool AdminApproved(ApprovalGate gate) => Approvals.Any(a => a.Gate == gate && a.ByAdmin);

    public ApprovalProgress Progress(ApprovalGate gate) =>
        new(gate, Count(gate), Policy.Required(gate, PlanDestroys), Policy.NeedsAdmin(gate, PlanDestroys));

    /// <summary>The progress of the gate a run in <paramref name="status"/> waits at, or null.</summary>
    public ApprovalProgress? ProgressAt(RunStatus? status) => ApprovalPolicy.GateOf(status) is { } gate ? Progress(gate) : null;
}
