using Amnify.Api.Database;
using Amnify.Api.Engine;
using Amnify.Api.Failures;
using Amnify.Api.Features.Common;
using Amnify.Api.Features.Providers;
using Amnify.Api.Http;
using Dapper;
using FluentValidation;
using Mediator;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Amnify.Api.Features.Pipelines;

/// <summary>A pipeline in a list: its step count and how its last run went.</summary>
public sealed record PipelineSummary
{
    public required Guid Id { get; init; }
    public required CloudProvider Provider { get; init; }
    public required string Name { get; init; }
    public required string Description { get; init; }
    public required int StepCount { get; init; }
    public PipelineRunStatus? LastRunStatus { get; init; }
    public Guid? LastRunId { get; init; }
    public required DateTimeOffset UpdatedAt { get; init; }
}

[CanFail(FailureKind.Invalid)]
public sealed record ListPipelines(string? Provider, string? Q, int Limit, string? Cursor) : IQuery<Page<PipelineSummary>>;

public sealed class ListPipelinesValidator : AbstractValidator<ListPipelines>
{
    public ListPipelinesValidator()
    {
        RuleFor(x => x.Provider).Must(CloudProviders.IsKnown).WithMessage($"Provider must be {CloudProviders.KnownCodes}.");
        this.AddListRules(x => x.Limit, x => x.Cursor);
    }
}

public sealed class ListPipelinesHandler(Db db) : IQueryHandler<ListPipelines, Page<PipelineSummary>>
{
    private const string Select = $"""
        SELECT p.id, p.provider, p.name, p.description, p.updated_at,
               (SELECT count(*) FROM pipeline_steps s WHERE s.pipeline_id = p.id) AS step_count,
               last.status AS last_run_status, last.id AS last_run_id
        FROM pipelines p
        LEFT JOIN LATERAL (
            SELECT r.id, r.status FROM pipeline_runs r WHERE r.pipeline_id = p.id ORDER BY r.number DESC LIMIT 1
        ) last ON true
        WHERE (@Provider::text IS NULL OR p.provider = @Provider)
          AND (@Pattern::text IS NULL OR lower(p.name) LIKE lower(@Pattern))
          AND (@AfterKey::text IS NULL OR (lower(p.name COLLATE "C"), p.id) > ({NameOrder.AfterKey}, @AfterId::uuid))
        ORDER BY lower(p.name COLLATE "C"), p.id
        LIMIT @Take
        """;

    public async ValueTask<Page<PipelineSummary>> Handle(ListPipelines query, CancellationToken cancellationToken)
    {
        var after = Cursor.Decode(query.Cursor);
        var rows = await db.Read((c, token) => c.QueryAsync<PipelineSummary>(new CommandDefinition(Select, new
        {
            query.Provider, Pattern = FieldRules.ContainsPattern(query.Q), AfterKey = after?.Key, AfterId = after?.Id, Take = query.Limit + 1,
        }, cancellationToken: token)), cancellationToken);
        return Cursor.Paginate(rows.AsList(), query.Limit, p => new Cursor(p.Name, p.Id.ToString()));
    }
}

public static class ListPipelinesEndpoint
{
    public static async Task<Ok<Page<PipelineSummary>>> Handle(
        ISender sender, CancellationToken ct, string? provider = null, string? q = null, int limit = Cursor.DefaultLimit, string? cursor = null) =>
        TypedResults.Ok(await sender.Send(new ListPipelines(provider, q, limit, cursor), ct));
}
