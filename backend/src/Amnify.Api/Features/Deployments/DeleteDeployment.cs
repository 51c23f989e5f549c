using Amnify.Api.Auth;
using Amnify.Api.Database;
using Amnify.Api.Failures;
using Amnify.Api.Http;
using Dapper;
using Mediator;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Amnify.Api.Features.Deployments;

/// <summary>
/// Deletes a deployment that has no infrastructure left, no active run and is in no pipeline; its run
/// history and Terraform state go with it.
/// </summary>
[CanFail(FailureKind.NotFound, FailureKind.Conflict)]
public sealed record DeleteDeployment(Guid Id) : ICommand<Result<Unit>>;

public sealed class DeleteDeploymentHandler(Db db, AuditTrail audit) : ICommandHandler<DeleteDeployment, Result<Unit>>
{
    private const string Lock = "SELECT has_infrastructure FROM deployments WHERE id = @Id FOR UPDATE";
    private const string ActiveRun = """
        SELECT status FROM deployment_runs
        WHERE deployment_id = @Id AND status NOT IN ('completed', 'destroyed', 'noChanges', 'failed', 'cancelled', 'rejected', 'expired')
        LIMIT 1
        """;

    private const string InPipelines = """
        SELECT p.name FROM pipeline_steps s JOIN pipelines p ON p.id = s.pipeline_id WHERE s.deployment_id = @Id ORDER BY p.name
        """;

    private const string Delete = "DELETE FROM deployments WHERE id = @Id";

    public async ValueTask<Result<Unit>> Handle(DeleteDeployment command, CancellationToken cancellationToken)
    {
        await using var connection = await db.Open(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        var hasInfrastructure = await connection.QuerySingleOrDefaultAsync<bool?>(new CommandDefinition(Lock, new { command.Id }, transaction, cancellationToken: cancellationToken));
        if (hasInfrastructure is null) return Failure.NotFound($"Deployment {command.Id}");
        if (hasInfrastructure.Value)
            return Failure.Conflict("The deployment's infrastructure still exists: destroy it first, then delete the deployment.");
        var pipelines = (await connection.QueryAsync<string>(new CommandDefinition(InPipelines, new { command.Id }, transaction, cancellationToken: cancellationToken))).ToList();
        if (pipelines.Count > 0)
            return Failure.Conflict($"The deployment is a step of {string.Join(", ", pipelines.Select(p => $"'{p}'"))}; remove it from those pipelines first.");
        if (await connection.QuerySingleOrDefaultAsync<string>(new CommandDefinition(ActiveRun, new { command.Id }, transaction, cancellationToken: cancellationToken)) is { } status)
            return Failure.Conflict($"The deployment has an active run ({status}); cancel it or let it finish first.");
        await connection.ExecuteAsync(new CommandDefinition(Delete, new { command.Id }, transaction, cancellationToken: cancellationToken));
        await audit.Record(connection, transaction, "deployment.delete", "deployment", command.Id);
        // Its Terraform state (empty once destroyed) goes with it; the name is built from a GUID, never from input.
        await connection.ExecuteAsync(new CommandDefinition($"DROP SCHEMA IF EXISTS tfstate_{command.Id:N} CASCADE", transaction: transaction, cancellationToken: cancellationToken));
        await transaction.CommitAsync(cancellationToken);
        return Unit.Value;
    }
}

public static class DeleteDeploymentEndpoint
{
    public static async Task<Results<NoContent, ProblemHttpResult>> Handle(Guid id, ISender sender, CancellationToken ct) =>
        (await sender.Send(new DeleteDeployment(id), ct)).Match(_ => TypedResults.NoContent());
}
