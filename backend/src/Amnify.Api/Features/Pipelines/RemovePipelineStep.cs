using Amnify.Api.Auth;
using Amnify.Api.Database;
using Amnify.Api.Failures;
using Amnify.Api.Http;
using Dapper;
using Mediator;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Amnify.Api.Features.Pipelines;

/// <summary>
/// Takes a step out of the order; the deployment itself is untouched. A step that feeds later steps is kept unless
/// <see cref="Force"/> is set, which removes that wiring too.
/// </summary>
[CanFail(FailureKind.NotFound, FailureKind.Conflict, FailureKind.Stale)]
public sealed record RemovePipelineStep(Guid PipelineId, int? ExpectedVersion, Guid StepId, bool Force = false) : ICommand<Result<Pipeline>>;

public sealed class RemovePipelineStepHandler(Db db, AuditTrail audit) : ICommandHandler<RemovePipelineStep, Result<Pipeline>>
{
    private const string Remove = "DELETE FROM pipeline_steps WHERE id = @StepId AND pipeline_id = @PipelineId RETURNING position";

    // Later steps close the gap so positions stay 1..n.
    private const string CloseGap = "UPDATE pipeline_steps SET position = position - 1 WHERE pipeline_id = @PipelineId AND position > @Position";

    private const string Consumers = """
        SELECT consumer.name AS consumer, source.name AS source, i.variable, i.output
        FROM pipeline_step_inputs i
        JOIN pipeline_steps cs ON cs.id = i.step_id JOIN deployments consumer ON consumer.id = cs.deployment_id
        JOIN pipeline_steps fs ON fs.id = i.from_step_id JOIN deployments source ON source.id = fs.deployment_id
        WHERE i.from_step_id = @StepId AND fs.pipeline_id = @PipelineId
        ORDER BY cs.position, i.variable
        """;

    private sealed record Feed(string Consumer, string Source, string Variable, string Output);

    public async ValueTask<Result<Pipeline>> Handle(RemovePipelineStep command, CancellationToken cancellationToken)
    {
        await using var connection = await db.Open(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        var locked = await Pipeline.LockForChange(connection, transaction, command.PipelineId, command.ExpectedVersion, cancellationToken);
        if (locked.Failure is { } failure) return failure;
        if (!command.Force)
        {
            var consumers = (await connection.QueryAsync<Feed>(new CommandDefinition(Consumers, new { command.StepId, command.PipelineId }, transaction, cancellationToken: cancellationToken))).AsList();
            if (consumers.Count > 0)
                return Failure.Conflict($"'{consumers[0].Source}' feeds later steps: " + string.Join("; ", consumers.Select(c => $"'{c.Consumer}' takes {c.Variable} from its output {c.Output}"))
                    + ". Remove that wiring first, or remove with force=true to drop it too.");
        }
        // The step's own wiring and wiring from it go with it (ON DELETE CASCADE).
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
        Guid id, Guid stepId, HttpContext context, ISender sender, CancellationToken ct, bool force = false) =>
        PipelineResults.Ok(context, await sender.Send(new RemovePipelineStep(id, ETags.ExpectedVersion(context), stepId, force), ct));
}
