using Amnify.Api.Auth;
using Amnify.Api.Database;
using Amnify.Api.Engine;
using Amnify.Api.Failures;
using Amnify.Api.Http;
using FluentValidation;
using Mediator;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Amnify.Api.Features.DeploymentRuns;

/// <summary>
/// One approval of the apply (the second gate): once the policy has its approvals, exactly the approved plan is applied.
/// Records the plan's SHA-256, which the worker checks before it applies.
/// </summary>
[CanFail(FailureKind.Invalid, FailureKind.Forbidden, FailureKind.NotFound, FailureKind.Conflict)]
public sealed record ApproveApply(Guid RunId, Actor Actor, Caller Caller, string? Comment = null, string? PlanSha256 = null) : ICommand<Result<DeploymentRun>>;

public sealed class ApproveApplyValidator : AbstractValidator<ApproveApply>
{
    public ApproveApplyValidator() => this.DecisionRules(x => x.Comment, x => x.PlanSha256);
}

public sealed class ApproveApplyHandler(Db db, RunTransitions transitions, AuditTrail audit) : ICommandHandler<ApproveApply, Result<DeploymentRun>>
{
    public async ValueTask<Result<DeploymentRun>> Handle(ApproveApply command, CancellationToken cancellationToken)
    {
        var comment = RunDecision.Clean(command.Comment);
        return await RunDecision.Decide(db, audit, "deploymentRun.approveApply", command.RunId,
            async (connection, transaction, state) =>
            {
                var approval = new RunTransitions.Approval(command.RunId, command.Actor.Name, command.Actor.UserId, command.Caller.IsAdmin, comment, command.PlanSha256);
                var outcome = state.Operation == RunOperation.Destroy
                    ? await transitions.ApproveDestroy(connection, transaction, approval, cancellationToken)
                    : await transitions.ApproveApply(connection, transaction, approval, cancellationToken);
                return outcome != RunTransitions.ApprovalOutcome.Refused;
            },
            status => $"The run is {status.Code()}; an apply can only be approved while the run is awaitingApplyApproval.",
            cancellationToken,
            state => RunDecision.Refuses(state, ApprovalGate.Apply, command.Caller, command.PlanSha256),
            state => RunDecision.Audited(ApprovalGate.Apply, ApprovalDecision.Approved, state, comment));
    }
}

public static class ApproveApplyEndpoint
{
    public static async Task<Results<Ok<DeploymentRun>, ProblemHttpResult>> Handle(
        Guid id, HttpContext context, ISender sender, CancellationToken ct, ApprovalBody? body = null) =>
        (await sender.Send(new ApproveApply(id, Actor.From(context), Caller.From(context.User), body?.Comment, body?.PlanSha256), ct))
        .Match(r => TypedResults.Ok(r.For(context.User)));
}
