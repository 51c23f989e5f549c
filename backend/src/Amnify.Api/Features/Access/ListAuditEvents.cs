using Amnify.Api.Database;
using Amnify.Api.Failures;
using Amnify.Api.Http;
using Dapper;
using FluentValidation;
using Mediator;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Amnify.Api.Features.Access;

public sealed record AuditEvent
{
    public required Guid Id { get; init; }
    public required DateTimeOffset At { get; init; }
    public required string Actor { get; init; }
    public required string Action { get; init; }
    public required string ResourceType { get; init; }
    public string? ResourceId { get; init; }
    public string? Details { get; init; }
    public string? SourceIp { get; init; }
    /// <summary>The resource's name now (a run reads as its deployment's name, or "pipeline #N"); null once it is gone.</summary>
    public string? ResourceName { get; init; }
    /// <summary>The cloud provider the resource belongs to, for linking to it; null for users and tokens.</summary>
    public string? ResourceProvider { get; init; }
}

/// <summary>The audit log, newest first, filtered by actor, action, resource and time.</summary>
[CanFail(FailureKind.Invalid)]
public sealed record ListAuditEvents(
    string? Actor, string? Action, string? ResourceType, string? ResourceId, DateTimeOffset? From, DateTimeOffset? To, int Limit, string? Cursor)
    : IQuery<Page<AuditEvent>>;

public sealed class ListAuditEventsValidator : AbstractValidator<ListAuditEvents>
{
    public ListAuditEventsValidator() => this.AddListRules(x => x.Limit, x => x.Cursor, key: CursorKey.None);
}

public sealed class ListAuditEventsHandler(Db db) : IQueryHandler<ListAuditEvents, Page<AuditEvent>>
{
    // Ids are UUIDv7, so id order is time order: the keyset needs no second column.
    private const string Select = """
        SELECT a.id, a.at, a.actor, a.action, a.resource_type, a.resource_id, a.details, a.source_ip,
               n.name AS resource_name, n.provider AS resource_provider
        FROM (
            SELECT id, at, actor, action, resource_type, resource_id, details, source_ip FROM audit_events
            WHERE (@Actor::text IS NULL OR actor = @Actor)
              AND (@Action::text IS NULL OR action = @Action)
              AND (@ResourceType::text IS NULL OR resource_type = @ResourceType)
              AND (@ResourceId::text IS NULL OR resource_id = @ResourceId)
              AND (@From::timestamptz IS NULL OR at >= @From)
              AND (@To::timestamptz IS NULL OR at < @To)
              AND (@AfterId::uuid IS NULL OR id < @AfterId::uuid)
            ORDER BY id DESC LIMIT @Take
        ) a
        -- Names are looked up only for the page's rows; an id that is not a UUID (none is today) names nothing.
        LEFT JOIN LATERAL (SELECT CASE WHEN a.resource_id ~* '^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$'
                                       THEN a.resource_id::uuid END AS id) r ON true
        LEFT JOIN LATERAL (
            SELECT name, provider FROM projects WHERE a.resource_type = 'project' AND id = r.id
            UNION ALL SELECT name, provider FROM deployments WHERE a.resource_type = 'deployment' AND id = r.id
            UNION ALL SELECT name, provider FROM pipelines WHERE a.resource_type = 'pipeline' AND id = r.id
            UNION ALL SELECT name, provider FROM cloud_environments WHERE a.resource_type = 'cloudEnvironment' AND id = r.id
            UNION ALL SELECT d.name, d.provider FROM deployment_runs x JOIN deployments d ON d.id = x.deployment_id
                      WHERE a.resource_type = 'deploymentRun' AND x.id = r.id
            UNION ALL SELECT p.name || ' #' || x.number, p.provider FROM pipeline_runs x JOIN pipelines p ON p.id = x.pipeline_id
                      WHERE a.resource_type = 'pipelineRun' AND x.id = r.id
            UNION ALL SELECT email, NULL FROM users WHERE a.resource_type = 'user' AND id = r.id
            LIMIT 1
        ) n ON true
        ORDER BY a.id DESC
        """;

    public async ValueTask<Page<AuditEvent>> Handle(ListAuditEvents query, CancellationToken cancellationToken)
    {
        var after = Cursor.Decode(query.Cursor);
        var rows = await db.Read((c, token) => c.QueryAsync<AuditEvent>(new CommandDefinition(Select, new
        {
            query.Actor, query.Action, query.ResourceType, query.ResourceId, query.From, query.To, AfterId = after?.Id, Take = query.Limit + 1,
        }, cancellationToken: token)), cancellationToken);
        return Cursor.Paginate(rows.AsList(), query.Limit, e => new Cursor("", e.Id.ToString()));
    }
}

public static class ListAuditEventsEndpoint
{
    public static async Task<Ok<Page<AuditEvent>>> Handle(
        ISender sender, CancellationToken ct, string? actor = null, string? action = null, string? resourceType = null, string? resourceId = null,
        DateTimeOffset? from = null, DateTimeOffset? to = null, int limit = Cursor.DefaultLimit, string? cursor = null) =>
        TypedResults.Ok(await sender.Send(new ListAuditEvents(actor, action, resourceType, resourceId, from, to, limit, cursor), ct));
}
