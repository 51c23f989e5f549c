using Amnify.Api.Auth;
using Amnify.Api.Database;
using Amnify.Api.Engine;
using Amnify.Api.Failures;
using Amnify.Api.Http;
using Mediator;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Amnify.Api.Features.PipelineRuns;

/// <summary>Cancels the pipeline run and its current step; later steps are not run.</summary>
[CanFail(FailureKind.NotFound, FailureKind.Conflict)]
public sealed record CancelPipelineRun(Guid Id, string Actor) : ICommand<Result<PipelineRun>>;

public sealed class CancelPipelineRunHandler(Db db, RunTransitions transitions, AuditTrail audit)
    : ICommandHandler<CancelPipelineRun, Result<PipelineRun>>
{
    public async ValueTask<Result<PipelineRun>> Handle(CancelPipelineRun command, CancellationToken cancellationToken)
    {
        await using var connection = await db.Open(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        if (await PipelineRun.Load(connection, command.Id, transaction, cancellationToken) is null) return Failure.NotFound($"Pipeline run {command.Id}");
        var cancelled = await transitions.CancelPipelineRun(connection, transaction, command.Id, command.Actor);
        if (cancelled.Failure is { } failure) return failure;
        await audit.Record(connection, transaction, "pipelineRun.cancel", "pipelineRun", command.Id);
        var run = (await PipelineRun.Load(connection, command.Id, transaction, cancellationToken))!;
        await transaction.CommitAsync(cancellationToken);
        return run;
    }
}

public static class CancelPipelineRunEndpoint
{
    public static async Task<Results<Ok<PipelineRun>, ProblemHttpResult>> Handle(Guid id, HttpContext context, ISender sender, CancellationToken ct) =>
        (await sender.Send(new CancelPipelineRun(id, Actor.From(context).Name), ct)).Match(r => TypedResults.Ok(r.For(context.User)));
}
