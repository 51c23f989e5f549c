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
        await RunDecision.Decide(db, transitions, audit, "deploymentRun.approveApply", command.RunId,
            operation => operation == RunOperation.Destroy ? RunTrigger.ApproveDestroy : RunTrigger.ApproveApply,
            new { Actor = command.Actor.Name, ActorId = command.Actor.UserId },
            status => $"The run is {status.Code()}; an apply can only be approved while the run is awaitingApplyApproval.",
            cancellationToken, state => FourEyes(state, command.Actor.UserId));

    /// <summary>
    /// With the run's four-eyes rule, whoever triggered the run (for a CI token, its owner) or approved its plan may not
    /// approve its apply. Only while the run waits at that gate: otherwise the state's own 409 says more.
    /// </summary>
    internal static Failure? FourEyes(RunDecision.State state, Guid? approver) =>
        state.Status == RunStatus.AwaitingApplyApproval
        && ApprovalPolicy.RefusesApplyApprover(state.RequireDistinctApprover, approver, state.TriggeredByUserId, state.PlanApprovedByUserId)
            ? Failure.Forbidden(
                "This run requires a distinct approver: whoever triggered the run (or owns the CI token that did) or approved its plan cannot approve its apply.",
                title: "Another approver is needed")
            : null;
}

public static class ApproveApplyEndpoint
{
    public static async Task<Results<Ok<DeploymentRun>, ProblemHttpResult>> Handle(Guid id, HttpContext context, ISender sender, CancellationToken ct) =>
        (await sender.Send(new ApproveApply(id, Actor.From(context)), ct)).Match(r => TypedResults.Ok(r.For(context.User)));
}
