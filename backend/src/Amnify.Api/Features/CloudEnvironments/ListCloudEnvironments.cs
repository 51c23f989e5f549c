using Amnify.Api.Database;
using Amnify.Api.Failures;
using Amnify.Api.Features.Common;
using Amnify.Api.Features.Providers;
using Amnify.Api.Http;
using Dapper;
using FluentValidation;
using Mediator;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Amnify.Api.Features.CloudEnvironments;

[CanFail(FailureKind.Invalid)]
public sealed record ListCloudEnvironments(string? Provider, string? Q, int Limit, string? Cursor) : IQuery<Page<CloudEnvironment>>;

public sealed class ListCloudEnvironmentsValidator : AbstractValidator<ListCloudEnvironments>
{
    public ListCloudEnvironmentsValidator()
    {
        RuleFor(x => x.Provider).Must(CloudProviders.IsKnown).WithMessage($"Provider must be {CloudProviders.KnownCodes}.");
        this.AddListRules(x => x.Limit, x => x.Cursor);
    }
}

public sealed class ListCloudEnvironmentsHandler(Db db) : IQueryHandler<ListCloudEnvironments, Page<CloudEnvironment>>
{
    // Keyset pagination in NameOrder: stable under inserts, and as fast on page 100 as on page 1.
    private const string Select = $"""
        SELECT {CloudEnvironment.Columns} FROM cloud_environments
        WHERE (@Provider::text IS NULL OR provider = @Provider)
          AND (@Pattern::text IS NULL OR lower(name) LIKE lower(@Pattern))
          AND (@AfterKey::text IS NULL OR (lower(name COLLATE "C"), id) > ({NameOrder.AfterKey}, @AfterId::uuid))
        ORDER BY lower(name COLLATE "C"), id
        LIMIT @Take
        """;

    public async ValueTask<Page<CloudEnvironment>> Handle(ListCloudEnvironments query, CancellationToken cancellationToken)
    {
        var after = Cursor.Decode(query.Cursor);
        var rows = await db.Read((c, token) => c.QueryAsync<CloudEnvironment>(new CommandDefinition(Select, new
        {
            Provider = query.Provider,
            Pattern = FieldRules.ContainsPattern(query.Q),
            AfterKey = after?.Key,
            AfterId = after?.Id,
            Take = query.Limit + 1,
        }, cancellationToken: token)), cancellationToken);
        return Cursor.Paginate(rows.AsList(), query.Limit, p => new Cursor(p.Name, p.Id.ToString()));
    }
}

public static class ListCloudEnvironmentsEndpoint
{
    public static async Task<Ok<Page<CloudEnvironment>>> Handle(
        ISender sender, CancellationToken ct, string? provider = null, string? q = null,
        int limit = Cursor.DefaultLimit, string? cursor = null) =>
        TypedResults.Ok(await sender.Send(new ListCloudEnvironments(provider, q, limit, cursor), ct));
}
