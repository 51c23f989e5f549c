using Amnify.Api.Auth;
using Amnify.Api.Database;
using Amnify.Api.Failures;
using Amnify.Api.Http;
using Dapper;
using Mediator;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Amnify.Api.Features.Pipelines;

/// <summary>Takes a step out of the order; the deployment itself is untouched.</summary>
[CanFail(FailureKind.NotFound, FailureKind.Stale)]
public sealed record RemovePipelineStep(Guid PipelineId, int? ExpectedVersion, Guid StepId) : ICommand<Result<Pipeline>>;

public sealed class RemovePipelineStepHandler(Db db, AuditTrail audit) : ICommandHandler<RemovePipelineStep, Result<Pipeline>>
{
    private const string Remove = "DELETE FROM pipeline_steps WHERE id = @StepId AND pipeline_id = @PipelineId RETURNING position";

    // Later steps close the gap so positions stay 1..n.
    private const string CloseGap = "UPDATE pipeline_steps SET position = position - 1 WHERE pipeline_id = @PipelineId AND position > @Position";

    public async ValueTask<Result<Pipeline>> Handle(RemovePipelineStep command, CancellationToken cancellationToken)
    {
        await using var connection = await db.Open(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        var locked = await Pipeline.LockForChange(connection, transaction, command.PipelineId, command.ExpectedVersion, cancellationToken);
        if (locked.Failure is { } failure) return failure;
        var position = await connection.QuerySingleOrDefaultAsync<int?>(new CommandDefinition(Remove, new { command.StepId, command.PipelineId }, transaction, cancellationToken: cancellationToken));
        if (position is null) return Failure.NotFound($"Step {command.StepId} of this pipeline");
        await connection.ExecuteAsync(new CommandDefinition(CloseGap, new { command.PipelineId, Position = position }, transaction, cancellationToken: cancellationToken));
        await connection.ExecuteAsync(new CommandDefinition(Pipeline.Bump, new { id = command.PipelineId }, transaction, cancellationToken: cancellationToken));
        await audit.Record(connection, transaction, "pipeline.step.remove", "pipeline", command.PipelineId);
        var pipeline = (await Pipeline.Load(connection, command.PipelineId, transaction, cancellationToken))!;
        await transaction.CommitAsync(cancellationToken);
        return pipeline;
    }
}

public static class RemovePipelineStepEndpoint
{
    public static async Task<Results<Ok<Pipeline>, ProblemHttpResult>> Handle(
        Guid id, Guid stepId, HttpContext context, ISender sender, CancellationToken ct) =>
        PipelineResults.Ok(context, await sender.Send(new RemovePipelineStep(id, ETags.ExpectedVersion(context), stepId), ct));
}
