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
[CanFail(FailureKind.Invalid, FailureKind.NotFound, FailureKind.Conflict, FailureKind.Stale)]
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

    // Every wiring whose source would no longer run before its consumer, named as people know the steps.
    private const string BrokenWiring = """
        SELECT consumer.name AS consumer, source.name AS source, i.variable, i.output
        FROM pipeline_step_inputs i
        JOIN unnest(@StepIds) WITH ORDINALITY AS c(id, position) ON c.id = i.step_id
        JOIN unnest(@StepIds) WITH ORDINALITY AS f(id, position) ON f.id = i.from_step_id
        JOIN pipeline_steps cs ON cs.id = i.step_id JOIN deployments consumer ON consumer.id = cs.deployment_id
        JOIN pipeline_steps fs ON fs.id = i.from_step_id JOIN deployments source ON source.id = fs.deployment_id
        WHERE f.position >= c.position
        ORDER BY c.position, i.variable
        """;

    private sealed record Broken(string Consumer, string Source, string Variable, string Output);

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
        var broken = (await connection.QueryAsync<Broken>(new CommandDefinition(BrokenWiring, new { command.StepIds }, transaction, cancellationToken: cancellationToken))).AsList();
        if (broken.Count > 0)
            return Failure.Conflict("This order puts a step before the step it takes a value from: " + string.Join("; ", broken.Select(b =>
                $"'{b.Consumer}' takes {b.Variable} from '{b.Source}'.{b.Output}, so '{b.Source}' must run before '{b.Consumer}'")) + ".");
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
