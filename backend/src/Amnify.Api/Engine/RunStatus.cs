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
}

public enum RunOperation
{
    Execute = 1,
    Destroy,
}

public static class RunStatuses
{
    /// <summary>The camelCase text stored in the database and sent on the wire.</summary>
    public static string Code(this RunStatus status) => char.ToLowerInvariant(status.ToString()[0]) + status.ToString()[1..];

    public static string Code(this RunOperation operation) => operation == RunOperation.Execute ? "execute" : "destroy";

    public static bool IsTerminal(this RunStatus status) =>
        status is RunStatus.Completed or RunStatus.Destroyed or RunStatus.NoChanges or RunStatus.Failed or RunStatus.Cancelled;

    public static bool AwaitsApproval(this RunStatus status) =>
        status is RunStatus.AwaitingPlanApproval or RunStatus.AwaitingApplyApproval;
}
