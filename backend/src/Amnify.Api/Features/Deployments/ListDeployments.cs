using Amnify.Api.Database;
using Amnify.Api.Failures;
using Amnify.Api.Features.Common;
using Amnify.Api.Features.Providers;
using Amnify.Api.Http;
using Dapper;
using FluentValidation;
using Mediator;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Amnify.Api.Features.Deployments;

[CanFail(FailureKind.Invalid)]
public sealed record ListDeployments(
    string? Provider, Guid? ProjectId, string? TemplateId, string? Q, int Limit, string? Cursor) : IQuery<Page<Deployment>>;

public sealed class ListDeploymentsValidator : AbstractValidator<ListDeployments>
{
    public ListDeploymentsValidator()
    {
        RuleFor(x => x.Provider).Must(CloudProviders.IsKnown).WithMessage($"Provider must be {CloudProviders.KnownCodes}.");
        this.AddListRules(x => x.Limit, x => x.Cursor);
    }
}

public sealed class ListDeploymentsHandler(Db db) : IQueryHandler<ListDeployments, Page<Deployment>>
{
    private const string Where = $"""
         WHERE (@Provider::text IS NULL OR d.provider = @Provider)
          AND (@ProjectId::uuid IS NULL OR d.project_id = @ProjectId)
          AND (@TemplateId::text IS NULL OR d.template_id = @TemplateId)
          AND (@Pattern::text IS NULL OR lower(d.name) LIKE lower(@Pattern))
          AND (@AfterKey::text IS NULL OR (lower(d.name COLLATE "C"), d.id) > ({NameOrder.AfterKey}, @AfterId::uuid))
        ORDER BY lower(d.name COLLATE "C"), d.id
        LIMIT @Take
        """;

    public async ValueTask<Page<Deployment>> Handle(ListDeployments query, CancellationToken cancellationToken)
    {
        var after = Cursor.Decode(query.Cursor);
        var rows = await db.Read((c, token) => c.QueryAsync<Deployment>(new CommandDefinition(Deployment.Select + Where, new
        {
            query.Provider,
            query.ProjectId,
            query.TemplateId,
            Pattern = FieldRules.ContainsPattern(query.Q),
            AfterKey = after?.Key,
            AfterId = after?.Id,
            Take = query.Limit + 1,
        }, cancellationToken: token)), cancellationToken);
        return Cursor.Paginate(rows.AsList(), query.Limit,
            d => new Cursor(d.Name, d.Id.ToString()));
    }
}

public static class ListDeploymentsEndpoint
{
    public static async Task<Ok<Page<Deployment>>> Handle(
        ISender sender, CancellationToken ct, string? provider = null, Guid? projectId = null, string? templateId = null,
        string? q = null, int limit = Cursor.DefaultLimit, string? cursor = null) =>
        TypedResults.Ok(await sender.Send(new ListDeployments(provider, projectId, templateId, q, limit, cursor), ct));
}
