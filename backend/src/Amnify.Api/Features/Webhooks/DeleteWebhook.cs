using Amnify.Api.Auth;
using Amnify.Api.Database;
using Amnify.Api.Failures;
using Amnify.Api.Http;
using Dapper;
using Mediator;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Amnify.Api.Features.Webhooks;

/// <summary>Removes an endpoint (admin) with its deliveries: nothing more is sent to it.</summary>
[CanFail(FailureKind.NotFound)]
public sealed record DeleteWebhook(Guid Id) : ICommand<Result<Unit>>;

public sealed class DeleteWebhookHandler(Db db, AuditTrail audit) : ICommandHandler<DeleteWebhook, Result<Unit>>
{
    private const string Delete = "DELETE FROM webhook_endpoints WHERE id = @Id RETURNING url";

    public async ValueTask<Result<Unit>> Handle(DeleteWebhook command, CancellationToken cancellationToken)
    {
        await using var connection = await db.Open(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        var url = await connection.QuerySingleOrDefaultAsync<string>(new CommandDefinition(Delete, command, transaction, cancellationToken: cancellationToken));
        if (url is null) return Failure.NotFound($"Webhook {command.Id}");
        await audit.Record(connection, transaction, "webhook.delete", "webhook", command.Id, url);
        await transaction.CommitAsync(cancellationToken);
        return Unit.Value;
    }
}

public static class DeleteWebhookEndpoint
{
    public static async Task<Results<NoContent, ProblemHttpResult>> Handle(Guid id, ISender sender, CancellationToken ct) =>
        (await sender.Send(new DeleteWebhook(id), ct)).Match(_ => TypedResults.NoContent());
}
