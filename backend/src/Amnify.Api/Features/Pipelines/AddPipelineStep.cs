using Amnify.Api.Auth;
using Amnify.Api.Database;
using Amnify.Api.Failures;
using Amnify.Api.Http;
using Dapper;
using FluentValidation;
using Mediator;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Amnify.Api.Features.Pipelines;

/// <summary>Appends a deployment at the end: add order is the initial execution order.</summary>
[CanFail(FailureKind.Invalid, FailureKind.NotFound, FailureKind.Conflict, FailureKind.Stale)]
public sealed record AddPipelineStep(Guid PipelineId, int? ExpectedVersion, Guid DeploymentId) : ICommand<Result<Pipeline>>;

public sealed record AddPipelineStepBody(Guid DeploymentId);

public sealed class AddPipelineStepValidator : AbstractValidator<AddPipelineStep>
{
    public AddPipelineStepValidator() => RuleFor(x => x.DeploymentId).NotEmpty().WithMessage("Deployment is required.");
}

public sealed class AddPipelineStepHandler(Db db, AuditTrail audit) : ICommandHandler<AddPipelineStep, Result<Pipeline>>
{
    private const string Deployment = "SELECT provider, name FROM deployments WHERE id = @DeploymentId";

    private const string Append = """
        INSERT INTO pipeline_steps (id, pipeline_id, deployment_id, position)
        SELECT @Id, @PipelineId, @DeploymentId, COALESCE(max(position), 0) + 1 FROM pipeline_steps WHERE pipeline_id = @PipelineId
        ON CONFLICT (pipeline_id, deployment_id) DO NOTHING
        """;

    private sealed record DeploymentRef(string Provider, string Name);

    public async ValueTask<Result<Pipeline>> Handle(AddPipelineStep command, CancellationToken cancellationToken)
    {
        await using var connection = await db.Open(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        var locked = await Pipeline.LockForChange(connection, transaction, command.PipelineId, command.ExpectedVersion, cancellationToken);
        if (locked.Failure is { } failure) return failure;
        var deployment = await connection.QuerySingleOrDefaultAsync<DeploymentRef>(new CommandDefinition(Deployment, new { command.DeploymentId }, transaction, cancellationToken: cancellationToken));
        if (deployment is null) return Failure.Invalid("deploymentId", "No such deployment.");
        if (deployment.Provider != locked.Value)
            return Failure.Invalid("deploymentId", $"Deployment '{deployment.Name}' is for {deployment.Provider}; this pipeline runs on {locked.Value}.");
        var added = await connection.ExecuteAsync(new CommandDefinition(Append, new { Id = Guid.CreateVersion7(), command.PipelineId, command.DeploymentId }, transaction, cancellationToken: cancellationToken));
        if (added == 0) return Failure.Conflict($"Deployment '{deployment.Name}' is already in this pipeline; a deployment runs at most once per pipeline.");
        await connection.ExecuteAsync(new CommandDefinition(Pipeline.Bump, new { id = command.PipelineId }, transaction, cancellationToken: cancellationToken));
        await audit.Record(connection, transaction, "pipeline.step.add", "pipeline", command.PipelineId);
        var pipeline = (await Pipeline.Load(connection, command.PipelineId, transaction, cancellationToken))!;
        await transaction.CommitAsync(cancellationToken);
        return pipeline;
    }
}

public static class AddPipelineStepEndpoint
{
    public static async Task<Results<Created<Pipeline>, ProblemHttpResult>> Handle(
        Guid id, AddPipelineStepBody body, HttpContext context, ISender sender, CancellationToken ct) =>
        PipelineResults.Created(context, await sender.Send(new AddPipelineStep(id, ETags.ExpectedVersion(context), body.DeploymentId), ct));
}
