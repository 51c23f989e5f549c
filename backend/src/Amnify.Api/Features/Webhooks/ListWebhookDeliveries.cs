using Amnify.Api.Database;
using Amnify.Api.Failures;
using Amnify.Api.Http;
using Dapper;
using FluentValidation;
using Mediator;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Amnify.Api.Features.Webhooks;

/// <summary>An endpoint's delivery log (admin): its latest deliveries, newest first, each with every attempt.</summary>
[CanFail(FailureKind.Invalid, FailureKind.NotFound)]
public sealed record ListWebhookDeliveries(Guid Id, int Limit) : IQuery<Result<WebhookDelivery[]>>;

public sealed class ListWebhookDeliveriesValidator : AbstractValidator<ListWebhookDeliveries>
{
    public ListWebhookDeliveriesValidator() => RuleFor(x => x.Limit).InclusiveBetween(1, 200);
}

public sealed class ListWebhookDeliveriesHandler(Db db) : IQueryHandler<ListWebhookDeliveries, Result<WebhookDelivery[]>>
{
    private const string Exists = "SELECT EXISTS (SELECT 1 FROM webhook_endpoints WHERE id = @Id)";

    // Served by webhook_deliveries_log (M0012).
    private const string Latest = "WHERE d.endpoint_id = @Id ORDER BY d.created_at DESC, d.id DESC LIMIT @Limit";

    public async ValueTask<Result<WebhookDelivery[]>> Handle(ListWebhookDeliveries query, CancellationToken cancellationToken)
    {
        var (exists, deliveries) = await db.Read(async (c, token) => (
            await c.ExecuteScalarAsync<bool>(new CommandDefinition(Exists, query, cancellationToken: token)),
            await WebhookDeliveries.Load(c, Latest, query, null, token)), cancellationToken);
        return exists ? deliveries.ToArray() : Failure.NotFound($"Webhook {query.Id}");
    }
}

public static class ListWebhookDeliveriesEndpoint
{
    public static async Task<Results<Ok<WebhookDelivery[]>, ProblemHttpResult>> Handle(Guid id, ISender sender, CancellationToken ct, int limit = 50) =>
        (await sender.Send(new ListWebhookDeliveries(id, limit), ct)).Match(TypedResults.Ok);
}
