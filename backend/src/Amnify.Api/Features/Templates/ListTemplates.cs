using Amnify.Api.Database;
using Amnify.Api.Failures;
using Amnify.Api.Features.Common;
using Amnify.Api.Features.Providers;
using Amnify.Api.Http;
using Dapper;
using FluentValidation;
using Mediator;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Amnify.Api.Features.Templates;

/// <summary>The catalogue: templates still in the source, filtered by provider, category and name.</summary>
[CanFail(FailureKind.Invalid)]
public sealed record ListTemplates(string? Provider, string? Category, string? Q, int Limit, string? Cursor) : IQuery<Page<Template>>;

public sealed class ListTemplatesValidator : AbstractValidator<ListTemplates>
{
    public ListTemplatesValidator()
    {
        RuleFor(x => x.Provider).Must(CloudProviders.IsKnown).WithMessage($"Provider must be {CloudProviders.KnownCodes}.");
        RuleFor(x => x.Category).Must(c => c is null || TemplateManifest.Categories.Contains(c))
            .WithMessage($"Category must be one of {string.Join(", ", TemplateManifest.Categories)}.");
        this.AddListRules(x => x.Limit, x => x.Cursor, guidIds: false);
    }
}

public sealed class ListTemplatesHandler(Db db) : IQueryHandler<ListTemplates, Page<Template>>
{
    private const string Where = $"""
         WHERE t.removed_at IS NULL
          AND (@Provider::text IS NULL OR t.provider = @Provider)
          AND (@Category::text IS NULL OR t.category = @Category)
          AND (@Pattern::text IS NULL OR lower(t.name) LIKE lower(@Pattern) OR lower(t.description) LIKE lower(@Pattern))
          AND (@AfterKey::text IS NULL OR (lower(t.name COLLATE "C"), t.id COLLATE "C") > ({NameOrder.AfterKey}, @AfterId::text COLLATE "C"))
        ORDER BY lower(t.name COLLATE "C"), t.id COLLATE "C"
        LIMIT @Take
        """;

    public async ValueTask<Page<Template>> Handle(ListTemplates query, CancellationToken cancellationToken)
    {
        var after = Cursor.Decode(query.Cursor);
        var rows = await db.Read((c, token) => c.QueryAsync<Template>(new CommandDefinition(Template.Select + Where, new
        {
            query.Provider,
            query.Category,
            Pattern = FieldRules.ContainsPattern(query.Q),
            AfterKey = after?.Key,
            AfterId = after?.Id,
            Take = query.Limit + 1,
        }, cancellationToken: token)), cancellationToken);
        return Cursor.Paginate(rows.AsList(), query.Limit,
            t => new Cursor(t.Name, t.Id));
    }
}

public static class ListTemplatesEndpoint
{
    public static async Task<Ok<Page<Template>>> Handle(
        ISender sender, CancellationToken ct, string? provider = null, string? category = null, string? q = null,
        int limit = Cursor.DefaultLimit, string? cursor = null) =>
        TypedResults.Ok(await sender.Send(new ListTemplates(provider, category, q, limit, cursor), ct));
}
