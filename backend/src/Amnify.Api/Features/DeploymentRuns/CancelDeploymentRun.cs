using Amnify.Api.Auth;
using Amnify.Api.Database;
using Amnify.Api.Engine;
using Amnify.Api.Failures;
using Amnify.Api.Http;
using FluentValidation;
using Mediator;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Amnify.Api.Features.DeploymentRuns;

/// <summary>Stops a run before it changes anything; refused once it applies or destroys.</summary>
[CanFail(FailureKind.Invalid, FailureKind.NotFound, FailureKind.Conflict)]
public sealed record CancelDeploymentRun(Guid RunId, string Actor, string? Reason) : ICommand<Result<DeploymentRun>>;

public sealed record CancelRunBody(string? Reason);

public sealed class CancelDeploymentRunValidator : AbstractValidator<CancelDeploymentRun>
{
    public CancelDeploymentRunValidator() => RuleFor(x => x.Reason).MaximumLength(500);
}

public sealed class CancelDeploymentRunHandler(Db db, RunTransitions transitions, AuditTrail audit) : ICommandHandler<CancelDeploymentRun, Result<DeploymentRun>>
{
    public async ValueTask<Result<DeploymentRun>> Handle(CancelDeploymentRun command, CancellationToken cancellationToken)
    {
        var reason = RunDecision.Clean(command.Reason);
        return await RunDecision.Decide(db, audit, "deploymentRun.cancel", command.RunId,
            async (connection, transaction, _) => await transitions.Cancel(connection, transaction, new RunTransitions.Cancellation(command.RunId, command.Actor, reason), cancellationToken) is not null,
            status => status is RunStatus.Applying or RunStatus.Destroying
                ? $"The run is {status.Code()}: the cloud is being changed, and stopping halfway would leave it inconsistent. Wait for it to finish."
                : $"The run is already {status.Code()}.",
            cancellationToken,
            details: _ => RunDecision.CancelDetails(reason));
    }
}

public static class CancelDeploymentRunEndpoint
{
    public static async Task<Results<Ok<DeploymentRun>, ProblemHttpResult>> Handle(
        Guid id, HttpContext context, ISender sender, CancellationToken ct, CancelRunBody? body = null) =>
        (await sender.Send(new CancelDeploymentRun(id, Actor.From(context).Name, body?.Reason), ct)).Match(r => TypedResults.Ok(r.For(context.User)));
}
