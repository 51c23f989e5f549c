using Amnify.Api.Database;
using Amnify.Api.Failures;
using Amnify.Api.Features.Common;
using Amnify.Api.Features.Providers;
using Amnify.Api.Http;
using Dapper;
using FluentValidation;
using Mediator;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Amnify.Api.Features.Projects;

[CanFail(FailureKind.Invalid)]
public sealed record ListProjects(string? Provider, string? Q, int Limit, string? Cursor) : IQuery<Page<Project>>;

public sealed class ListProjectsValidator : AbstractValidator<ListProjects>
{
    public ListProjectsValidator()
    {
        RuleFor(x => x.Provider).Must(CloudProviders.IsKnown).WithMessage($"Provider must be {CloudProviders.KnownCodes}.");
        this.AddListRules(x => x.Limit, x => x.Cursor);
    }
}

public sealed class ListProjectsHandler(Db db) : IQueryHandler<ListProjects, Page<Project>>
{
    // Keyset pagination in NameOrder: stable under inserts, and as fast on page 100 as on page 1.
    private const string Select = $"""
        SELECT {Project.Columns} FROM projects
        WHERE (@Provider::text IS NULL OR provider = @Provider)
          AND (@Pattern::text IS NULL OR lower(name) LIKE lower(@Pattern))
          AND (@AfterKey::text IS NULL OR (lower(name COLLATE "C"), id) > ({NameOrder.AfterKey}, @AfterId::uuid))
        ORDER BY lower(name COLLATE "C"), id
        LIMIT @Take
        """;

    public async ValueTask<Page<Project>> Handle(ListProjects query, CancellationToken cancellationToken)
    {
        var after = Cursor.Decode(query.Cursor);
        var rows = await db.Read((c, token) => c.QueryAsync<Project>(new CommandDefinition(Select, new
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

public static class ListProjectsEndpoint
{
    public static async Task<Ok<Page<Project>>> Handle(
        ISender sender, CancellationToken ct, string? provider = null, string? q = null,
        int limit = Cursor.DefaultLimit, string? cursor = null) =>
        TypedResults.Ok(await sender.Send(new ListProjects(provider, q, limit, cursor), ct));
}
