namespace Amnify.Api.Engine;

/// <summary>
/// The approval rule a run is held to, snapshotted on the run when it is triggered (<c>deployment_runs.approval_policy</c>,
/// jsonb) and checked from that snapshot in the approval's own conditional UPDATE — so changing a deployment's rule
/// mid-run changes only later runs. Today the rule is four-eyes (<c>requireDistinctApprover</c>): whoever triggered the
/// run or approved its plan may not approve its apply. People are compared by user id; a CI token counts as its owner.
/// </summary>
public static class ApprovalPolicy
{
    /// <summary>The policy a new run takes, over the deployment row <c>d</c>.</summary>
    public const string ForNewRun = "jsonb_build_object('requireDistinctApprover', d.require_distinct_approver)";

    /// <summary>Whether the run's snapshot asks for distinct approvers, over the run row.</summary>
    public const string RequiresDistinctApprover = "COALESCE((approval_policy->>'requireDistinctApprover')::boolean, true)";

    /// <summary>The apply gate's extra condition: with four-eyes, @ActorId is known and is neither the triggerer nor the plan's approver.</summary>
    public const string ApplyApproverIsDistinct = $"""
         AND NOT ({RequiresDistinctApprover} AND (@ActorId::uuid IS NULL
            OR @ActorId::uuid IS NOT DISTINCT FROM triggered_by_user_id OR @ActorId::uuid IS NOT DISTINCT FROM plan_approved_by_user_id))
        """;

    /// <summary>The same rule in C#, to explain a refusal and to tell callers beforehand whether they may approve.</summary>
    public static bool RefusesApplyApprover(bool requireDistinctApprover, Guid? approver, Guid? triggeredBy, Guid? planApprovedBy) =>
        requireDistinctApprover && (approver is null || approver == triggeredBy || approver == planApprovedBy);
}
