namespace Amnify.Api.Engine;

/// <summary>What moves a run from one state to the next.</summary>
public enum RunTrigger
{
    /// <summary>The deployment is locked by another run: wait in line.</summary>
    Wait,
    /// <summary>The lock was released and this run is first in line.</summary>
    Unblock,
    /// <summary>A worker takes the run to init and plan it.</summary>
    Claim,
    StartPlanning,
    PlanShowsNoChanges,
    PlanShowsChanges,
    ApprovePlan,
    ApproveApply,
    ApproveDestroy,
    /// <summary>A worker takes an approved run to apply it (the state stays; the apply is marked begun).</summary>
    BeginApply,
    FinishApply,
    FinishDestroy,
    Fail,
    Cancel,
    /// <summary>The worker's lease expired before it began to apply: another worker starts over.</summary>
    Requeue,
}

/// <summary>
/// The whole lifecycle of a deployment run as one table: which states each trigger leaves, and the
/// state it enters. <see cref="RunTransitions"/> turns each row into one conditional UPDATE.
/// </summary>
public static class RunStateMachine
{
    private static readonly RunStatus[] Working = [RunStatus.Initializing, RunStatus.Planning, RunStatus.Applying, RunStatus.Destroying];

    public static readonly IReadOnlyDictionary<RunTrigger, (RunStatus[] From, RunStatus? To)> Table =
        new Dictionary<RunTrigger, (RunStatus[], RunStatus?)>
        {
            [RunTrigger.Wait] = ([RunStatus.Queued], RunStatus.Pending),
            [RunTrigger.Unblock] = ([RunStatus.Pending], RunStatus.Queued),
            [RunTrigger.Claim] = ([RunStatus.Queued], RunStatus.Initializing),
            [RunTrigger.StartPlanning] = ([RunStatus.Initializing], RunStatus.Planning),
            [RunTrigger.PlanShowsNoChanges] = ([RunStatus.Planning], RunStatus.NoChanges),
            [RunTrigger.PlanShowsChanges] = ([RunStatus.Planning], RunStatus.AwaitingPlanApproval),
            [RunTrigger.ApprovePlan] = ([RunStatus.AwaitingPlanApproval], RunStatus.AwaitingApplyApproval),
            [RunTrigger.ApproveApply] = ([RunStatus.AwaitingApplyApproval], RunStatus.Applying),
            [RunTrigger.ApproveDestroy] = ([RunStatus.AwaitingApplyApproval], RunStatus.Destroying),
            [RunTrigger.BeginApply] = ([RunStatus.Applying, RunStatus.Destroying], null),
            [RunTrigger.FinishApply] = ([RunStatus.Applying], RunStatus.Completed),
            [RunTrigger.FinishDestroy] = ([RunStatus.Destroying], RunStatus.Destroyed),
            [RunTrigger.Fail] = (Working, RunStatus.Failed),
            // Not while applying or destroying: the cloud is being changed and stopping halfway is worse.
            [RunTrigger.Cancel] = ([RunStatus.Queued, RunStatus.Pending, RunStatus.Initializing, RunStatus.Planning,
                RunStatus.AwaitingPlanApproval, RunStatus.AwaitingApplyApproval], RunStatus.Cancelled),
            [RunTrigger.Requeue] = ([RunStatus.Initializing, RunStatus.Planning], RunStatus.Queued),
        };

    public static bool Allows(RunStatus from, RunTrigger trigger) => Table[trigger].From.Contains(from);

    /// <summary>The state a trigger leads to from <paramref name="from"/>; a trigger that keeps the state answers it.</summary>
    public static RunStatus Target(RunStatus from, RunTrigger trigger) => Table[trigger].To ?? from;
}
