using Amnify.Api.Database;
using Amnify.Api.Failures;
using Mediator;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Amnify.Api.Features.Pipelines;

[CanFail(FailureKind.NotFound)]
public sealed record GetPipeline(Guid Id) : IQuery<Result<Pipeline>>;

public sealed class GetPipelineHandler(Db db) : IQueryHandler<GetPipeline, Result<Pipeline>>
{
    public async ValueTask<Result<Pipeline>> Handle(GetPipeline query, CancellationToken cancellationToken) =>
        await db.Read((c, token) => Pipeline.Load(c, query.Id, null, token), cancellationToken) is { } pipeline
            ? pipeline
            : Failure.NotFound($"Pipeline {query.Id}");
}

public static class GetPipelineEndpoint
{
    public static async Task<Results<Ok<Pipeline>, ProblemHttpResult>> Handle(Guid id, HttpContext context, ISender sender, CancellationToken ct) =>
        PipelineResults.Ok(context, await sender.Send(new GetPipeline(id), ct));
}
