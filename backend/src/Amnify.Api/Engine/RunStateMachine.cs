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
    /// <summary>An approver refused the gate the run waits at.</summary>
    Reject,
    /// <summary>The gate waited longer than the run's approval policy allows.</summary>
    Expire,
}

/// <summary>
/// The whole lifecycle of a deployment run as one table: which states each trigger leaves, and the
/// state it enters. <see cref="RunTransitions"/> has one method per row, each one conditional UPDATE
/// whose <c>WHERE status IN (…)</c> is the row's from-set (a unit test holds them to it).
/// </summary>
public static class RunStateMachine
{
    private static readonly RunStatus[] Working = [.. RunStatuses.Working];

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
            [RunTrigger.Reject] = ([RunStatus.AwaitingPlanApproval, RunStatus.AwaitingApplyApproval], RunStatus.Rejected),
            [RunTrigger.Expire] = ([RunStatus.AwaitingPlanApproval, RunStatus.AwaitingApplyApproval], RunStatus.Expired),
        };

    public static bool Allows(RunStatus from, RunTrigger trigger) => Table[trigger].From.Contains(from);

    /// <summary>The state a trigger leads to from <paramref name="from"/>; a trigger that keeps the state answers it.</summary>
    public static RunStatus Target(RunStatus from, RunTrigger trigger) => Table[trigger].To ?? from;
}

/// <summary>What moves a pipeline run. Each follows from its current step's deployment run, or from a person.</summary>
public enum PipelineRunTrigger
{
    /// <summary>The next step's deployment run was queued.</summary>
    StartStep,
    /// <summary>The current step's deployment run waits at a gate.</summary>
    StepAwaitsApproval,
    /// <summary>The current step's deployment run is in line or being worked on again (e.g. its plan was approved).</summary>
    StepWorks,
    /// <summary>No step is left to run.</summary>
    Complete,
    /// <summary>A step failed, or the next one can no longer run.</summary>
    Fail,
    Cancel,
    /// <summary>A step's gate was rejected.</summary>
    Reject,
    /// <summary>A step's gate waited too long.</summary>
    Expire,
}

/// <summary>What moves one step of a pipeline run.</summary>
public enum PipelineStepTrigger
{
    /// <summary>The step's deployment run was queued.</summary>
    Start,
    /// <summary>Its deployment run applied (or destroyed) the plan.</summary>
    Complete,
    /// <summary>Its deployment run found nothing to change.</summary>
    Skip,
    Fail,
    Cancel,
    /// <summary>The pipeline run ended before the step began.</summary>
    NotRun,
    /// <summary>Passed over before it began: a destroy finds nothing to destroy.</summary>
    Bypass,
    /// <summary>Cannot begin: an input's output is missing or does not fit; fails before its deployment run exists.</summary>
    Refuse,
    Reject,
    Expire,
}

/// <summary>
/// The lifecycle of a pipeline run and of its steps as tables, beside <see cref="RunStateMachine"/>:
/// <see cref="PipelineTransitions"/> has one conditional UPDATE per row (a unit test holds them to it).
/// A pipeline run mirrors its current step: it is <c>awaitingApproval</c> while that step's run waits at a gate,
/// <c>running</c> otherwise, and it ends with the first step that does not complete or skip.
/// </summary>
public static class PipelineStateMachine
{
    private static readonly PipelineRunStatus[] Active = [.. RunStatuses.PipelineActive];

    public static readonly IReadOnlyDictionary<PipelineRunTrigger, (PipelineRunStatus[] From, PipelineRunStatus To)> Runs =
        new Dictionary<PipelineRunTrigger, (PipelineRunStatus[], PipelineRunStatus)>
        {
            [PipelineRunTrigger.StartStep] = ([PipelineRunStatus.Queued, PipelineRunStatus.Running], PipelineRunStatus.Running),
            [PipelineRunTrigger.StepAwaitsApproval] = ([PipelineRunStatus.Running, PipelineRunStatus.AwaitingApproval], PipelineRunStatus.AwaitingApproval),
            [PipelineRunTrigger.StepWorks] = ([PipelineRunStatus.Running, PipelineRunStatus.AwaitingApproval], PipelineRunStatus.Running),
            [PipelineRunTrigger.Complete] = ([PipelineRunStatus.Queued, PipelineRunStatus.Running], PipelineRunStatus.Completed),
            // From queued too: the first step of a resumed run can fail before it starts (a missing input).
            [PipelineRunTrigger.Fail] = ([PipelineRunStatus.Queued, PipelineRunStatus.Running], PipelineRunStatus.Failed),
            [PipelineRunTrigger.Cancel] = (Active, PipelineRunStatus.Cancelled),
            [PipelineRunTrigger.Reject] = ([PipelineRunStatus.Running, PipelineRunStatus.AwaitingApproval], PipelineRunStatus.Rejected),
            [PipelineRunTrigger.Expire] = ([PipelineRunStatus.Running, PipelineRunStatus.AwaitingApproval], PipelineRunStatus.Expired),
        };

    public static readonly IReadOnlyDictionary<PipelineStepTrigger, (PipelineStepStatus[] From, PipelineStepStatus To)> Steps =
        new Dictionary<PipelineStepTrigger, (PipelineStepStatus[], PipelineStepStatus)>
        {
            [PipelineStepTrigger.Start] = ([PipelineStepStatus.Pending], PipelineStepStatus.Running),
            [PipelineStepTrigger.Complete] = ([PipelineStepStatus.Running], PipelineStepStatus.Completed),
            [PipelineStepTrigger.Skip] = ([PipelineStepStatus.Running], PipelineStepStatus.Skipped),
            [PipelineStepTrigger.Fail] = ([PipelineStepStatus.Running], PipelineStepStatus.Failed),
            [PipelineStepTrigger.Cancel] = ([PipelineStepStatus.Running], PipelineStepStatus.Cancelled),
            [PipelineStepTrigger.NotRun] = ([PipelineStepStatus.Pending], PipelineStepStatus.NotRun),
            [PipelineStepTrigger.Bypass] = ([PipelineStepStatus.Pending], PipelineStepStatus.Skipped),
            [PipelineStepTrigger.Refuse] = ([PipelineStepStatus.Pending], PipelineStepStatus.Failed),
            [PipelineStepTrigger.Reject] = ([PipelineStepStatus.Running], PipelineStepStatus.Rejected),
            [PipelineStepTrigger.Expire] = ([PipelineStepStatus.Running], PipelineStepStatus.Expired),
        };

    public static bool Allows(PipelineRunStatus from, PipelineRunTrigger trigger) => Runs[trigger].From.Contains(from);

    public static bool Allows(PipelineStepStatus from, PipelineStepTrigger trigger) => Steps[trigger].From.Contains(from);

    /// <summary>The pipeline run's trigger when its current step's deployment run entered <paramref name="status"/> (not a final one).</summary>
    public static PipelineRunTrigger Mirror(RunStatus status) =>
        status.AwaitsApproval() ? PipelineRunTrigger.StepAwaitsApproval : PipelineRunTrigger.StepWorks;

    /// <summary>The step's trigger when its deployment run ended in <paramref name="status"/>.</summary>
    public static PipelineStepTrigger Settle(RunStatus status) => status switch
    {
        RunStatus.Completed or RunStatus.Destroyed => PipelineStepTrigger.Complete,
        RunStatus.NoChanges => PipelineStepTrigger.Skip,
        RunStatus.Cancelled => PipelineStepTrigger.Cancel,
        RunStatus.Rejected => PipelineStepTrigger.Reject,
        RunStatus.Expired => PipelineStepTrigger.Expire,
        _ => PipelineStepTrigger.Fail,
    };
}
