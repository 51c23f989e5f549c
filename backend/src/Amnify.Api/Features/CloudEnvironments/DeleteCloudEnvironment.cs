using Amnify.Api.Auth;
using Amnify.Api.Database;
using Amnify.Api.Failures;
using Amnify.Api.Http;
using Dapper;
using Mediator;
using Microsoft.AspNetCore.Http.HttpResults;
using Npgsql;

namespace Amnify.Api.Features.CloudEnvironments;

[CanFail(FailureKind.NotFound, FailureKind.Conflict)]
public sealed record DeleteCloudEnvironment(Guid Id) : ICommand<Result<Unit>>;

public sealed class DeleteCloudEnvironmentHandler(Db db, AuditTrail audit) : ICommandHandler<DeleteCloudEnvironment, Result<Unit>>
{
    private const string Delete = "DELETE FROM cloud_environments WHERE id = @Id";

    public async ValueTask<Result<Unit>> Handle(DeleteCloudEnvironment command, CancellationToken cancellationToken)
    {
        await using var connection = await db.Open(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        try
        {
            if (await connection.ExecuteAsync(new CommandDefinition(Delete, new { command.Id }, transaction, cancellationToken: cancellationToken)) == 0) return Failure.NotFound($"Cloud environment {command.Id}");
            await audit.Record(connection, transaction, "cloudEnvironment.delete", "cloudEnvironment", command.Id);
            await transaction.CommitAsync(cancellationToken);
            return Unit.Value;
        }
        catch (PostgresException e) when (e.SqlState == PostgresErrorCodes.ForeignKeyViolation)
        {
            return Failure.Conflict("Deployments still use this cloud environment; point them elsewhere first.");
        }
    }
}

public static class DeleteCloudEnvironmentEndpoint
{
    public static async Task<Results<NoContent, ProblemHttpResult>> Handle(Guid id, ISender sender, CancellationToken ct) =>
        (await sender.Send(new DeleteCloudEnvironment(id), ct)).Match(_ => TypedResults.NoContent());
}
