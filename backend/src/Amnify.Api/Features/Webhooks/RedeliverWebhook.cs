using Amnify.Api.Auth;
using Amnify.Api.Database;
using Amnify.Api.Failures;
using Amnify.Api.Http;
using Dapper;
using Mediator;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Amnify.Api.Features.Webhooks;

/// <summary>
/// Sends a delivery again now (admin), whatever became of it: one more attempt, with the same <c>webhook-id</c>. A
/// delivery out of attempts gets that one; a pending one is simply brought forward.
/// </summary>
[CanFail(FailureKind.NotFound)]
public sealed record RedeliverWebhook(Guid Id, Guid DeliveryId) : ICommand<Result<WebhookDelivery>>;

public sealed class RedeliverWebhookHandler(Db db, AuditTrail audit) : ICommandHandler<RedeliverWebhook, Result<WebhookDelivery>>
{
    private const string Requeue = """
        UPDATE webhook_deliveries SET status = 'pending', next_attempt_at = now()
        WHERE id = @DeliveryId AND endpoint_id = @Id
        """;

    public async ValueTask<Result<WebhookDelivery>> Handle(RedeliverWebhook command, CancellationToken cancellationToken)
    {
        await using var connection = await db.Open(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        if (await connection.ExecuteAsync(new CommandDefinition(Requeue, command, transaction, cancellationToken: cancellationToken)) == 0)
            return Failure.NotFound($"Delivery {command.DeliveryId} of webhook {command.Id}");
        await audit.Record(connection, transaction, "webhook.redeliver", "webhook", command.Id, $"delivery {command.DeliveryId}");
        var delivery = (await WebhookDeliveries.Load(connection, "WHERE d.id = @DeliveryId", command, transaction, cancellationToken)).Single();
        await transaction.CommitAsync(cancellationToken);
        return delivery;
    }
}

public static class RedeliverWebhookEndpoint
{
    public static async Task<Results<Accepted<WebhookDelivery>, ProblemHttpResult>> Handle(Guid id, Guid deliveryId, HttpContext context, ISender sender, CancellationToken ct) =>
        (await sender.Send(new RedeliverWebhook(id, deliveryId), ct)).Match(d => TypedResults.Accepted(context.PathTo("ListWebhookDeliveries", id), d));
}
