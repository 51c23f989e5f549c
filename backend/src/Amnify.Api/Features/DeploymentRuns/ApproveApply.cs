using Amnify.Api.Auth;
using Amnify.Api.Database;
using Amnify.Api.Engine;
using Amnify.Api.Failures;
using Amnify.Api.Http;
using Mediator;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Amnify.Api.Features.DeploymentRuns;

/// <summary>
/// The second approval: apply exactly the approved plan. Records the plan's SHA-256, which the worker
/// checks before it applies.
/// </summary>
[CanFail(FailureKind.Forbidden, FailureKind.NotFound, FailureKind.Conflict)]
public sealed record ApproveApply(Guid RunId, Actor Actor) : ICommand<Result<DeploymentRun>>;

public sealed class ApproveApplyHandler(Db db, RunTransitions transitions, AuditTrail audit) : ICommandHandler<ApproveApply, Result<DeploymentRun>>
{
    public async ValueTask<Result<DeploymentRun>> Handle(ApproveApply command, CancellationToken cancellationToken) =>
        await RunDecision.Decide(db, audit, "deploymentRun.approveApply", command.RunId,
            (connection, transaction, operation) => operation == RunOperation.Destroy
                ? transitions.ApproveDestroy(connection, transaction, new RunTransitions.Approval(command.RunId, command.Actor.Name, command.Actor.UserId))
                : transitions.ApproveApply(connection, transaction, new RunTransitions.Approval(command.RunId, command.Actor.Name, command.Actor.UserId)),
            status => $"The run is {status.Code()}; an apply can only be approved while the run is awaitingApplyApproval.",
            cancellationToken, state => FourEyes(state, command.Actor.UserId));

    /// <summary>
    /// Four-eyes (<see cref="RunPermissions.ApplyApproverRefusal"/>, the same decision the run's actions show), only while
    /// the run waits at that gate: otherwise the state's own 409 says more.
    /// </summary>
    internal static Failure? FourEyes(RunDecision.State state, Guid? approver) =>
        state.Status == RunStatus.AwaitingApplyApproval
        && RunPermissions.ApplyApproverRefusal(approver, new ApprovalFacts(state.RequireDistinctApprover, state.TriggeredByUserId, state.PlanApprovedByUserId)) is { } reason
            ? Failure.Forbidden(
                $"{reason}. This run requires a distinct approver: whoever triggered the run (or owns the CI token that did) or approved its plan cannot approve its apply.",
                title: RunPermissions.AnotherApproverIsNeeded)
            : null;
}

public static class ApproveApplyEndpoint
{
    public static async Task<Results<Ok<DeploymentRun>, ProblemHttpResult>> Handle(Guid id, HttpContext context, ISender sender, CancellationToken ct) =>
        (await sender.Send(new ApproveApply(id, Actor.From(context)), ct)).Match(r => TypedResults.Ok(r.For(context.User)));
}
