using Amnify.Api.Auth;
using Amnify.Api.Database;
using Amnify.Api.Failures;
using Amnify.Api.Http;
using Dapper;
using Mediator;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Amnify.Api.Features.Pipelines;

/// <summary>Deletes a pipeline and its run history; its deployments stay. Refused while a run is active.</summary>
[CanFail(FailureKind.NotFound, FailureKind.Conflict, FailureKind.Stale)]
public sealed record DeletePipeline(Guid Id, int? ExpectedVersion) : ICommand<Result<Unit>>;

public sealed class DeletePipelineHandler(Db db, AuditTrail audit) : ICommandHandler<DeletePipeline, Result<Unit>>
{
    private const string ActiveRun = "SELECT number FROM pipeline_runs WHERE pipeline_id = @Id AND status IN ('queued', 'running', 'awaitingApproval')";

    public async ValueTask<Result<Unit>> Handle(DeletePipeline command, CancellationToken cancellationToken)
    {
        await using var connection = await db.Open(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        var locked = await Pipeline.LockForChange(connection, transaction, command.Id, command.ExpectedVersion, cancellationToken);
        if (locked.Failure is { } failure) return failure;
        if (await connection.QuerySingleOrDefaultAsync<int?>(new CommandDefinition(ActiveRun, new { command.Id }, transaction, cancellationToken: cancellationToken)) is { } number)
            return Failure.Conflict($"Run #{number} of this pipeline is still active; cancel it or let it finish first.");
        await connection.ExecuteAsync(new CommandDefinition("DELETE FROM pipelines WHERE id = @Id", new { command.Id }, transaction, cancellationToken: cancellationToken));
        await audit.Record(connection, transaction, "pipeline.delete", "pipeline", command.Id);
        await transaction.CommitAsync(cancellationToken);
        return Unit.Value;
    }
}

public static class DeletePipelineEndpoint
{
    public static async Task<Results<NoContent, ProblemHttpResult>> Handle(Guid id, HttpContext context, ISender sender, CancellationToken ct) =>
        (await sender.Send(new DeletePipeline(id, ETags.ExpectedVersion(context)), ct)).Match(_ => TypedResults.NoContent());
}
