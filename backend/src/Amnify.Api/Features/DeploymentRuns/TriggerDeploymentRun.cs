using Amnify.Api.Auth;
using Amnify.Api.Database;
using Amnify.Api.Engine;
using Amnify.Api.Failures;
using Amnify.Api.Http;
using FluentValidation;
using Mediator;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Amnify.Api.Features.DeploymentRuns;

/// <summary>Queues an execute or destroy of a deployment; it waits its turn if the deployment is busy.</summary>
[CanFail(FailureKind.Invalid, FailureKind.NotFound, FailureKind.Conflict)]
public sealed record TriggerDeploymentRun(Guid DeploymentId, RunOperation Operation, Actor Actor) : ICommand<Result<DeploymentRun>>;

public sealed record TriggerDeploymentRunBody(RunOperation Operation);

public sealed class TriggerDeploymentRunValidator : AbstractValidator<TriggerDeploymentRun>
{
    public TriggerDeploymentRunValidator() =>
        RuleFor(x => x.Operation).IsInEnum().WithMessage("Operation is required: execute or destroy.");
}

public sealed class TriggerDeploymentRunHandler(Db db, RunQueue queue, AuditTrail audit) : ICommandHandler<TriggerDeploymentRun, Result<DeploymentRun>>
{
    public async ValueTask<Result<DeploymentRun>> Handle(TriggerDeploymentRun command, CancellationToken cancellationToken)
    {
        await using var connection = await db.Open(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        var queued = await queue.Enqueue(connection, transaction, command.DeploymentId, command.Operation, command.Actor);
        if (queued.Failure is { } failure) return failure;
        await audit.Record(connection, transaction, $"deploymentRun.trigger.{command.Operation.Code()}", "deploymentRun", queued.Value,
            $"deployment {command.DeploymentId}");
        var run = (await DeploymentRun.Load(connection, queued.Value, transaction, cancellationToken))!;
        await transaction.CommitAndNotify(cancellationToken);
        return run;
    }
}

public static class TriggerDeploymentRunEndpoint
{
    public static async Task<Results<Accepted<DeploymentRun>, ProblemHttpResult>> Handle(
        Guid id, HttpContext context, ISender sender, CancellationToken ct, TriggerDeploymentRunBody? body = null) =>
        // A bare POST is answered as `{}` is: the validator names the missing operation.
        (await sender.Send(new TriggerDeploymentRun(id, body?.Operation ?? default, Actor.From(context)), ct))
        .Match(run => TypedResults.Accepted(context.PathTo("GetDeploymentRun", run.Id), run.For(context.User)));
}
