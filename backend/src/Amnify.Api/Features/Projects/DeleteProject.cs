using Amnify.Api.Auth;
using Amnify.Api.Database;
using Amnify.Api.Failures;
using Amnify.Api.Http;
using Dapper;
using Mediator;
using Microsoft.AspNetCore.Http.HttpResults;
using Npgsql;

namespace Amnify.Api.Features.Projects;

[CanFail(FailureKind.NotFound, FailureKind.Conflict)]
public sealed record DeleteProject(Guid Id) : ICommand<Result<Unit>>;

public sealed class DeleteProjectHandler(Db db, AuditTrail audit) : ICommandHandler<DeleteProject, Result<Unit>>
{
    private const string Delete = "DELETE FROM projects WHERE id = @Id";

    public async ValueTask<Result<Unit>> Handle(DeleteProject command, CancellationToken cancellationToken)
    {
        await using var connection = await db.Open(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        try
        {
            if (await connection.ExecuteAsync(new CommandDefinition(Delete, new { command.Id }, transaction, cancellationToken: cancellationToken)) == 0) return Failure.NotFound($"Project {command.Id}");
            await audit.Record(connection, transaction, "project.delete", "project", command.Id);
            await transaction.CommitAsync(cancellationToken);
            return Unit.Value;
        }
        catch (PostgresException e) when (e.SqlState == PostgresErrorCodes.ForeignKeyViolation)
        {
            return Failure.Conflict("The project still holds deployments; delete or move them first.");
        }
    }
}

public static class DeleteProjectEndpoint
{
    public static async Task<Results<NoContent, ProblemHttpResult>> Handle(Guid id, ISender sender, CancellationToken ct) =>
        (await sender.Send(new DeleteProject(id), ct)).Match(_ => TypedResults.NoContent());
}
