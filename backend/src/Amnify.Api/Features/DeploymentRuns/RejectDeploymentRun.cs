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
/// Refuses the gate the run waits at, saying why: the run ends <c>rejected</c> (in a pipeline, the pipeline run too, and
/// later steps are not run). Open to whoever may approve that gate now.
/// </summary>
[CanFail(FailureKind.Invalid, FailureKind.Forbidden, FailureKind.NotFound, FailureKind.Conflict)]
public sealed record RejectDeploymentRun(Guid RunId, Actor Actor, Caller Caller, string? Comment, string? PlanSha256 = null) : ICommand<Result<DeploymentRun>>;

/// <summary>Why the gate is refused (required), and optionally the plan reviewed.</summary>
public sealed record RejectionBody(string? Comment, string? PlanSha256);

public sealed class RejectDeploymentRunValidator : AbstractValidator<RejectDeploymentRun>
{
    public RejectDeploymentRunValidator()
    {
        RuleFor(x => x.Comment).Must(c => !string.IsNullOrWhiteSpace(c)).OverridePropertyName("comment")
            .WithMessage("A comment is required to reject: say why, for whoever triggered the run.");
        this.DecisionRules(x => x.Comment, x => x.PlanSha256);
    }
}

public sealed class RejectDeploymentRunHandler(Db db, RunTransitions transitions, AuditTrail audit) : ICommandHandler<RejectDeploymentRun, Result<DeploymentRun>>
{
    public async ValueTask<Result<DeploymentRun>> Handle(RejectDeploymentRun command, CancellationToken cancellationToken)
    {
        var comment = RunDecision.Clean(command.Comment)!;
        return await RunDecision.Decide(db, audit, "deploymentRun.reject", command.RunId,
            async (connection, transaction, _) => await transitions.Reject(connection, transaction, new RunTransitions.Rejection(
                command.RunId, command.Actor.Name, command.Actor.UserId, command.Caller.IsAdmin, comment, command.PlanSha256), cancellationToken) is not null,
            status => $"The run is {status.Code()}; only a run waiting at a gate (awaitingPlanApproval or awaitingApplyApproval) can be rejected.",
            cancellationToken,
            state => ApprovalPolicy.GateOf(state.Status) is { } gate ? RunDecision.Refuses(state, gate, command.Caller, command.PlanSha256) : null,
            state => RunDecision.Audited(ApprovalPolicy.GateOf(state.Status) ?? ApprovalGate.Plan, ApprovalDecision.Rejected, state, comment));
    }
}

public static class RejectDeploymentRunEndpoint
{
    public static async Task<Results<Ok<DeploymentRun>, ProblemHttpResult>> Handle(
        Guid id, HttpContext context, ISender sender, CancellationToken ct, RejectionBody? body = null) =>
        (await sender.Send(new RejectDeploymentRun(id, Actor.From(context), Caller.From(context.User), body?.Comment, body?.PlanSha256), ct))
        .Match(r => TypedResults.Ok(r.For(context.User)));
}
