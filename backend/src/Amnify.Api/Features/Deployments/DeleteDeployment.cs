using Amnify.Api.Database;
using Amnify.Api.Http;
using Dapper;
using Mediator;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Amnify.Api.Features.Deployments;

/// <summary>Deletes a deployment that has no infrastructure left, no active run and is in no pipeline.</summary>
public sealed record DeleteDeployment(Guid Id) : ICommand<Result<Unit>>;

public sealed class DeleteDeploymentHandler(Db db) : ICommandHandler<DeleteDeployment, Result<Unit>>
{
    private const string Lock = "SELECT has_infrastructure FROM deployments WHERE id = @Id FOR UPDATE";
    private const string Delete = "DELETE FROM deployments WHERE id = @Id";

    public async ValueTask<Result<Unit>> Handle(DeleteDeployment command, CancellationToken cancellationToken)
    {
        await using var connection = await db.Open(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        var hasInfrastructure = await connection.QuerySingleOrDefaultAsync<bool?>(Lock, new { command.Id }, transaction);
        if (hasInfrastructure is null) return Failure.NotFound($"Deployment {command.Id}");
        if (hasInfrastructure.Value)
            return Failure.Conflict("The deployment's infrastructure still exists: destroy it first, then delete the deployment.");
        await connection.ExecuteAsync(Delete, new { command.Id }, transaction);
        await transaction.CommitAsync(cancellationToken);
        return Unit.Value;
    }
}

public static class DeleteDeploymentEndpoint
{
    public static async Task<Results<NoContent, ProblemHttpResult>> Handle(Guid id, ISender sender, CancellationToken ct) =>
        (await sender.Send(new DeleteDeployment(id), ct)).Match(_ => TypedResults.NoContent());
}
