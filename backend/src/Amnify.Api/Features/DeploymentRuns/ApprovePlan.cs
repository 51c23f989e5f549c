using Amnify.Api.Auth;
using Amnify.Api.Database;
using Amnify.Api.Engine;
using Amnify.Api.Failures;
using Amnify.Api.Http;
using Mediator;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Amnify.Api.Features.DeploymentRuns;

/// <summary>The first of two approvals: the plan is what should happen. Apply still needs its own approval.</summary>
[CanFail(FailureKind.NotFound, FailureKind.Conflict)]
public sealed record ApprovePlan(Guid RunId, Actor Actor) : ICommand<Result<DeploymentRun>>;

public sealed class ApprovePlanHandler(Db db, RunTransitions transitions, AuditTrail audit) : ICommandHandler<ApprovePlan, Result<DeploymentRun>>
{
    public async ValueTask<Result<DeploymentRun>> Handle(ApprovePlan command, CancellationToken cancellationToken) =>
        await RunDecision.Decide(db, audit, "deploymentRun.approvePlan", command.RunId,
            (connection, transaction, _) => transitions.ApprovePlan(connection, transaction, new RunTransitions.Approval(command.RunId, command.Actor.Name, command.Actor.UserId)),
            status => $"The run is {status.Code()}; a plan can only be approved while the run is awaitingPlanApproval.",
            cancellationToken);
}

public static class ApprovePlanEndpoint
{
    public static async Task<Results<Ok<DeploymentRun>, ProblemHttpResult>> Handle(Guid id, HttpContext context, ISender sender, CancellationToken ct) =>
        (await sender.Send(new ApprovePlan(id, Actor.From(context)), ct)).Match(r => TypedResults.Ok(r.For(context.User)));
}
