using Amnify.Api.Auth;
using Amnify.Api.Database;
using Amnify.Api.Engine;
using Amnify.Api.Failures;
using Amnify.Api.Features.DeploymentRuns;
using Amnify.Api.Http;
using FluentValidation;
using Mediator;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Amnify.Api.Features.PipelineRuns;

/// <summary>Cancels the pipeline run and its current step; later steps are not run.</summary>
[CanFail(FailureKind.Invalid, FailureKind.NotFound, FailureKind.Conflict)]
public sealed record CancelPipelineRun(Guid Id, string Actor, string? Reason = null) : ICommand<Result<PipelineRun>>;

public sealed class CancelPipelineRunValidator : AbstractValidator<CancelPipelineRun>
{
    public CancelPipelineRunValidator() => RuleFor(x => x.Reason).MaximumLength(500);
}

public sealed class CancelPipelineRunHandler(Db db, RunTransitions transitions, AuditTrail audit)
    : ICommandHandler<CancelPipelineRun, Result<PipelineRun>>
{
    public async ValueTask<Result<PipelineRun>> Handle(CancelPipelineRun command, CancellationToken cancellationToken)
    {
        await using var connection = await db.Open(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        if (await PipelineRun.Load(connection, command.Id, transaction, cancellationToken) is null) return Failure.NotFound($"Pipeline run {command.Id}");
        var reason = RunDecision.Clean(command.Reason);
        var cancelled = await transitions.CancelPipelineRun(connection, transaction, command.Id, command.Actor, reason);
        if (cancelled.Failure is { } failure) return failure;
        await audit.Record(connection, transaction, "pipelineRun.cancel", "pipelineRun", command.Id, RunDecision.CancelDetails(reason));
        var run = (await PipelineRun.Load(connection, command.Id, transaction, cancellationToken))!;
        await transaction.CommitAndNotify(cancellationToken);
        return run;
    }
}

public static class CancelPipelineRunEndpoint
{
    public static async Task<Results<Ok<PipelineRun>, ProblemHttpResult>> Handle(
        Guid id, HttpContext context, ISender sender, CancellationToken ct, CancelRunBody? body = null) =>
        (await sender.Send(new CancelPipelineRun(id, Actor.From(context).Name, body?.Reason), ct)).Match(r => TypedResults.Ok(r.For(context.User)));
}
