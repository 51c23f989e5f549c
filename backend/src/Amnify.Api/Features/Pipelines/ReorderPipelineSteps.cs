using Amnify.Api.Auth;
using Amnify.Api.Database;
using Amnify.Api.Failures;
using Amnify.Api.Http;
using Dapper;
using FluentValidation;
using Mediator;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Amnify.Api.Features.Pipelines;

/// <summary>Sets the whole execution order at once; with If-Match, a stale order is refused (412), never merged.</summary>
[CanFail(FailureKind.Invalid, FailureKind.NotFound, FailureKind.Stale)]
public sealed record ReorderPipelineSteps(Guid PipelineId, int? ExpectedVersion, Guid[] StepIds) : ICommand<Result<Pipeline>>;

public sealed record ReorderPipelineStepsBody(Guid[] StepIds);

public sealed class ReorderPipelineStepsValidator : AbstractValidator<ReorderPipelineSteps>
{
    public ReorderPipelineStepsValidator()
    {
        RuleFor(x => x.StepIds).NotNull().WithMessage("stepIds is required.");
        RuleFor(x => x.StepIds).Must(ids => ids is null || ids.Distinct().Count() == ids.Length).WithMessage("A step may appear only once.");
        RuleFor(x => x.StepIds).Must(ids => ids is null || ids.Length <= 500).WithMessage("At most 500 steps.");
    }
}

public sealed class ReorderPipelineStepsHandler(Db db, AuditTrail audit) : ICommandHandler<ReorderPipelineSteps, Result<Pipeline>>
{
    private const string Current = "SELECT id FROM pipeline_steps WHERE pipeline_id = @PipelineId";

    // The (pipeline, position) uniqueness is checked at commit, so positions can swap freely in between.
    private const string Reorder = """
        UPDATE pipeline_steps s SET position = o.position
        FROM unnest(@StepIds) WITH ORDINALITY AS o(id, position)
        WHERE s.id = o.id AND s.pipeline_id = @PipelineId
        """;

    public async ValueTask<Result<Pipeline>> Handle(ReorderPipelineSteps command, CancellationToken cancellationToken)
    {
        await using var connection = await db.Open(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        var locked = await Pipeline.LockForChange(connection, transaction, command.PipelineId, command.ExpectedVersion, cancellationToken);
        if (locked.Failure is { } failure) return failure;
        var current = (await connection.QueryAsync<Guid>(new CommandDefinition(Current, new { command.PipelineId }, transaction, cancellationToken: cancellationToken))).ToHashSet();
        if (!current.SetEquals(command.StepIds) || current.Count != command.StepIds.Length)
            return Failure.Invalid("stepIds",
                $"Send every step of the pipeline exactly once ({current.Count} steps); the order may change, the set may not.");
        await connection.ExecuteAsync(new CommandDefinition(Reorder, new { command.PipelineId, command.StepIds }, transaction, cancellationToken: cancellationToken));
        await connection.ExecuteAsync(new CommandDefinition(Pipeline.Bump, new { id = command.PipelineId }, transaction, cancellationToken: cancellationToken));
        await audit.Record(connection, transaction, "pipeline.step.reorder", "pipeline", command.PipelineId);
        var pipeline = (await Pipeline.Load(connection, command.PipelineId, transaction, cancellationToken))!;
        await transaction.CommitAsync(cancellationToken);
        return pipeline;
    }
}

public static class ReorderPipelineStepsEndpoint
{
    public static async Task<Results<Ok<Pipeline>, ProblemHttpResult>> Handle(
        Guid id, ReorderPipelineStepsBody body, HttpContext context, ISender sender, CancellationToken ct) =>
        PipelineResults.Ok(context, await sender.Send(new ReorderPipelineSteps(id, ETags.ExpectedVersion(context), body.StepIds), ct));
}
