using Amnify.Api.Database;
using Amnify.Api.Failures;
using Dapper;
using Mediator;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Amnify.Api.Features.Webhooks;

/// <summary>The registered endpoints (admin), newest first; secrets are never shown again.</summary>
[CanFail]
public sealed record ListWebhooks : IQuery<Webhook[]>;

public sealed class ListWebhooksHandler(Db db) : IQueryHandler<ListWebhooks, Webhook[]>
{
    private const string Select = $"{Webhook.Select} ORDER BY created_at DESC, id DESC";

    public async ValueTask<Webhook[]> Handle(ListWebhooks query, CancellationToken cancellationToken) =>
        (await db.Read((c, token) => c.QueryAsync<Webhook>(new CommandDefinition(Select, cancellationToken: token)), cancellationToken)).ToArray();
}

public static class ListWebhooksEndpoint
{
    public static async Task<Ok<Webhook[]>> Handle(ISender sender, CancellationToken ct) => TypedResults.Ok(await sender.Send(new ListWebhooks(), ct));
}
