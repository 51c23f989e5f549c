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
/// One approval of the plan (the first of two gates), optionally with a comment and the SHA-256 of the plan reviewed.
/// The gate passes once the run's policy has its approvals; until then the run shows the progress ("1 of 2 approvals").
/// </summary>
[CanFail(FailureKind.Invalid, FailureKind.Forbidden, FailureKind.NotFound, FailureKind.Conflict)]
public sealed record ApprovePlan(Guid RunId, Actor Actor, Caller Caller, string? Comment = null, string? PlanSha256 = null) : ICommand<Result<DeploymentRun>>;

/// <summary>An approval's optional body: why, and the plan reviewed (409 when it is not the plan awaiting approval).</summary>
public sealed record ApprovalBody(string? Comment, string? PlanSha256);

public sealed class ApprovePlanValidator : AbstractValidator<ApprovePlan>
{
    public ApprovePlanValidator() => this.DecisionRules(x => x.Comment, x => x.PlanSha256);
}

public sealed class ApprovePlanHandler(Db db, RunTransitions transitions, AuditTrail audit) : ICommandHandler<ApprovePlan, Result<DeploymentRun>>
{
    public async ValueTask<Result<DeploymentRun>> Handle(ApprovePlan command, CancellationToken cancellationToken)
    {
        var comment = RunDecision.Clean(command.Comment);
        return await RunDecision.Decide(db, audit, "deploymentRun.approvePlan", command.RunId,
            async (connection, transaction, _) => await transitions.ApprovePlan(connection, transaction, new RunTransitions.Approval(
                command.RunId, command.Actor.Name, command.Actor.UserId, command.Caller.IsAdmin, comment, command.PlanSha256), cancellationToken)
                != RunTransitions.ApprovalOutcome.Refused,
            status => $"The run is {status.Code()}; a plan can only be approved while the run is awaitingPlanApproval.",
            cancellationToken,
            state => RunDecision.Refuses(state, ApprovalGate.Plan, command.Caller, command.PlanSha256),
            state => RunDecision.Audited(ApprovalGate.Plan, ApprovalDecision.Approved, state, comment));
    }
}

public static class ApprovePlanEndpoint
{
    public static async Task<Results<Ok<DeploymentRun>, ProblemHttpResult>> Handle(
        Guid id, HttpContext context, ISender sender, CancellationToken ct, ApprovalBody? body = null) =>
        (await sender.Send(new ApprovePlan(id, Actor.From(context), Caller.From(context.User), body?.Comment, body?.PlanSha256), ct))
        .Match(r => TypedResults.Ok(r.For(context.User)));
}
