using Amnify.Api.Database;
using Amnify.Api.Failures;
using Amnify.Api.Http;
using Mediator;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Amnify.Api.Features.PipelineRuns;

[CanFail(FailureKind.NotFound)]
public sealed record GetPipelineRun(Guid Id) : IQuery<Result<PipelineRun>>;

public sealed class GetPipelineRunHandler(Db db) : IQueryHandler<GetPipelineRun, Result<PipelineRun>>
{
    public async ValueTask<Result<PipelineRun>> Handle(GetPipelineRun query, CancellationToken cancellationToken) =>
        await db.Read((c, token) => PipelineRun.Load(c, query.Id, null, token), cancellationToken) is { } run
            ? run
            : Failure.NotFound($"Pipeline run {query.Id}");
}

public static class GetPipelineRunEndpoint
{
    public static async Task<Results<Ok<PipelineRun>, ProblemHttpResult>> Handle(Guid id, HttpContext context, ISender sender, CancellationToken ct) =>
        (await sender.Send(new GetPipelineRun(id), ct)).Match(r => TypedResults.Ok(r.For(context.User)));
}
