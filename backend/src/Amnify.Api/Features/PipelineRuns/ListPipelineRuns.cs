using Amnify.Api.Database;
using Amnify.Api.Failures;
using Amnify.Api.Http;
using Dapper;
using FluentValidation;
using Mediator;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Amnify.Api.Features.PipelineRuns;

/// <summary>A pipeline's runs, newest first.</summary>
[CanFail(FailureKind.Invalid, FailureKind.NotFound)]
public sealed record ListPipelineRuns(Guid PipelineId, int Limit, string? Cursor) : IQuery<Result<Page<PipelineRun>>>;

public sealed class ListPipelineRunsValidator : AbstractValidator<ListPipelineRuns>
{
    public ListPipelineRunsValidator()
    {
        this.AddListRules(x => x.Limit, x => x.Cursor, key: CursorKey.Number);
    }
}

public sealed class ListPipelineRunsHandler(Db db) : IQueryHandler<ListPipelineRuns, Result<Page<PipelineRun>>>
{
    private const string Exists = "SELECT EXISTS (SELECT 1 FROM pipelines WHERE id = @PipelineId)";

    private const string Where = """
        WHERE r.pipeline_id = @PipelineId AND (@Before::int IS NULL OR r.number < @Before)
        ORDER BY r.number DESC LIMIT @Take
        """;

    public async ValueTask<Result<Page<PipelineRun>>> Handle(ListPipelineRuns query, CancellationToken cancellationToken)
    {
        var before = Cursor.Decode(query.Cursor) is { } c ? int.Parse(c.Key, System.Globalization.CultureInfo.InvariantCulture) : (int?)null;
        return await db.Read<Result<Page<PipelineRun>>>(async (connection, token) =>
        {
            if (!await connection.ExecuteScalarAsync<bool>(new CommandDefinition(Exists, new { query.PipelineId }, cancellationToken: token))) return Failure.NotFound($"Pipeline {query.PipelineId}");
            var runs = await PipelineRun.Load(connection, Where, new { query.PipelineId, Before = before, Take = query.Limit + 1 }, null, token);
            return Cursor.Paginate(runs, query.Limit, r => new Cursor(r.Number.ToString(System.Globalization.CultureInfo.InvariantCulture), r.Id.ToString()));
        }, cancellationToken);
    }
}

public static class ListPipelineRunsEndpoint
{
    public static async Task<Results<Ok<Page<PipelineRun>>, ProblemHttpResult>> Handle(
        Guid id, HttpContext context, ISender sender, CancellationToken ct, int limit = Cursor.DefaultLimit, string? cursor = null) =>
        (await sender.Send(new ListPipelineRuns(id, limit, cursor), ct))
        .Match(page => TypedResults.Ok(page with { Items = page.Items.Select(r => r.For(context.User)).ToList() }));
}
