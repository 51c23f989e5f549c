using Amnify.Api.Database;
using Amnify.Api.Failures;
using Amnify.Api.Http;
using Dapper;
using FluentValidation;
using Mediator;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Amnify.Api.Features.DeploymentRuns;

/// <summary>A deployment's run history, newest first.</summary>
[CanFail(FailureKind.Invalid, FailureKind.NotFound)]
public sealed record ListDeploymentRuns(Guid DeploymentId, int Limit, string? Cursor) : IQuery<Result<Page<DeploymentRun>>>;

public sealed class ListDeploymentRunsValidator : AbstractValidator<ListDeploymentRuns>
{
    public ListDeploymentRunsValidator()
    {
        this.AddListRules(x => x.Limit, x => x.Cursor, key: CursorKey.Instant);
    }
}

public sealed class ListDeploymentRunsHandler(Db db) : IQueryHandler<ListDeploymentRuns, Result<Page<DeploymentRun>>>
{
    private const string Exists = "SELECT EXISTS (SELECT 1 FROM deployments WHERE id = @DeploymentId)";

    // The cursor key is the queued_at instant (ISO 8601, full precision), so the keyset compares exactly.
    private const string Where = """
         WHERE r.deployment_id = @DeploymentId
          AND (@AfterKey::timestamptz IS NULL OR (r.queued_at, r.id) < (@AfterKey::timestamptz, @AfterId::uuid))
        ORDER BY r.queued_at DESC, r.id DESC
        LIMIT @Take
        """;

    public async ValueTask<Result<Page<DeploymentRun>>> Handle(ListDeploymentRuns query, CancellationToken cancellationToken)
    {
        var after = Cursor.Decode(query.Cursor);
        return await db.Read<Result<Page<DeploymentRun>>>(async (c, token) =>
        {
            if (!await c.ExecuteScalarAsync<bool>(new CommandDefinition(Exists, new { query.DeploymentId }, cancellationToken: token))) return Failure.NotFound($"Deployment {query.DeploymentId}");
            var rows = await DeploymentRun.LoadMany(c, DeploymentRun.Select + Where, new
            {
                query.DeploymentId, AfterKey = after?.Key, AfterId = after?.Id, Take = query.Limit + 1,
            }, null, token);
            return Cursor.Paginate(rows, query.Limit,
                r => new Cursor(Cursor.Instant(r.QueuedAt), r.Id.ToString()));
        }, cancellationToken);
    }
}

public static class ListDeploymentRunsEndpoint
{
    public static async Task<Results<Ok<Page<DeploymentRun>>, ProblemHttpResult>> Handle(
        Guid id, HttpContext context, ISender sender, CancellationToken ct, int limit = Cursor.DefaultLimit, string? cursor = null) =>
        (await sender.Send(new ListDeploymentRuns(id, limit, cursor), ct))
        .Match(page => TypedResults.Ok(page with { Items = page.Items.Select(r => r.For(context.User)).ToList() }));
}
