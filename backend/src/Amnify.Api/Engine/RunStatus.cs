using System.Collections.Frozen;

namespace Amnify.Api.Engine;

public enum RunStatus
{
    Queued = 1,
    Pending,
    Initializing,
    Planning,
    AwaitingPlanApproval,
    AwaitingApplyApproval,
    Applying,
    Destroying,
    Completed,
    Destroyed,
    NoChanges,
    Failed,
    Cancelled,
    /// <summary>An approver refused a gate.</summary>
    Rejected,
    /// <summary>A gate waited longer than the approval policy allows.</summary>
    Expired,
}

public enum RunOperation
{
    Execute = 1,
    Destroy,
}

public enum PipelineRunStatus
{
    Queued = 1,
    Running,
    AwaitingApproval,
    Completed,
    Failed,
    Cancelled,
    Rejected,
    Expired,
}

public enum PipelineStepStatus
{
    Pending = 1,
    Running,
    Completed,
    Skipped,
    Failed,
    Cancelled,
    NotRun,
    Rejected,
    Expired,
}

/// <summary>Why a pipeline-run step was skipped.</summary>
public enum StepSkipReason
{
    /// <summary>Its plan found nothing to change.</summary>
    NoChanges = 1,
    /// <summary>A resumed run: the step completed (or was skipped) in the run it resumes.</summary>
    CompletedInEarlierRun,
    /// <summary>A destroy: the deployment was never deployed or is already destroyed.</summary>
    NothingToDestroy,
}

/// <summary>
/// The status sets of deployment runs and pipeline runs, each written once as the SQL list the queries interpolate
/// (<c>status IN ({RunStatuses.Sql.Terminal})</c>); the C# sets are read from the same text, so the two cannot drift.
/// </summary>
public static class RunStatuses
{
    /// <summary>The lists as SQL text, for <c>IN (…)</c> in constant SQL.</summary>
    public static class Sql
    {
        /// <summary>
        /// A deployment run that is over. M0011's partial index <c>deployment_runs_unfinished</c> spells the same list
        /// (<c>WHERE status NOT IN (…)</c>): a query meant to use that index keeps this text, in this order.
        /// </summary>
        public const string Terminal = "'completed', 'destroyed', 'noChanges', 'failed', 'cancelled', 'rejected', 'expired'";

        /// <summary>
        /// A deployment run that holds its deployment's lock: past the queue and not yet finished. M0003's unique partial
        /// index <c>deployment_runs_one_active</c> spells the same list; keep them the same.
        /// </summary>
        public const string HoldsLock = "'initializing', 'planning', 'awaitingPlanApproval', 'awaitingApplyApproval', 'applying', 'destroying'";

        /// <summary>A deployment run that is in line for its deployment's lock.</summary>
        public const string InLine = "'queued', 'pending'";

        /// <summary>A worker works on the run (and holds its lease).</summary>
        public const string Working = "'initializing', 'planning', 'applying', 'destroying'";

        /// <summary>The cloud is being changed. M0003's <c>deployment_runs_claimable</c> index spells the same list.</summary>
        public const string ChangingCloud = "'applying', 'destroying'";

        /// <summary>The run waits for a person at one of its two gates.</summary>
        public const string AwaitingApproval = "'awaitingPlanApproval', 'awaitingApplyApproval'";

        /// <summary>
        /// A pipeline run not yet over. M0004's unique partial index <c>pipeline_runs_one_active</c> (one active run per
        /// pipeline) spells the same list: keep them the same.
        /// </summary>
        public const string PipelineActive = "'queued', 'running', 'awaitingApproval'";

        /// <summary>A pipeline run that is over.</summary>
        public const string PipelineTerminal = "'completed', 'failed', 'cancelled', 'rejected', 'expired'";
    }

    public static readonly FrozenSet<RunStatus> Terminal = Parse<RunStatus>(Sql.Terminal);
    public static readonly FrozenSet<RunStatus> Working = Parse<RunStatus>(Sql.Working);
    public static readonly FrozenSet<RunStatus> AwaitingApproval = Parse<RunStatus>(Sql.AwaitingApproval);
    public static readonly FrozenSet<PipelineRunStatus> PipelineActive = Parse<PipelineRunStatus>(Sql.PipelineActive);
    public static readonly FrozenSet<PipelineRunStatus> PipelineTerminal = Parse<PipelineRunStatus>(Sql.PipelineTerminal);

    /// <summary>The camelCase text of a status or operation, stored in the database and sent on the wire.</summary>
    public static string Code<TStatus>(this TStatus status) where TStatus : struct, Enum
    {
        var name = status.ToString();
        return char.ToLowerInvariant(name[0]) + name[1..];
    }

    public static bool IsTerminal(this RunStatus status) => Terminal.Contains(status);

    public static bool AwaitsApproval(this RunStatus status) => AwaitingApproval.Contains(status);

    public static bool IsTerminal(this PipelineRunStatus status) => PipelineTerminal.Contains(status);

    /// <summary>A pipeline run that stopped short (failed, or a person or a policy stopped it) can be resumed; a completed one cannot.</summary>
    public static bool CanResume(this PipelineRunStatus status) => status.IsTerminal() && status != PipelineRunStatus.Completed;

    /// <summary>The statuses of a SQL list such as <c>'queued', 'pending'</c>; an unknown code fails at startup.</summary>
    public static FrozenSet<TStatus> Parse<TStatus>(string sqlList) where TStatus : struct, Enum =>
        sqlList.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries)
            .Select(code => Enum.GetValues<TStatus>().Single(s => $"'{s.Code()}'" == code))
            .ToFrozenSet();
}

/// <summary>The NOTIFY channels of the engine, named once for the SQL that notifies and the code that listens.</summary>
public static class RunChannels
{
    /// <summary>Something for a worker: a run was queued or approved.</summary>
    public const string Queue = "amnify_run_queue";

    /// <summary>Something happened to run X (a deployment run or a pipeline run; the payload is its id): live views re-read.</summary>
    public const string Events = "amnify_run_events";
}
