using Amnify.Api.Failures;
using Amnify.Api.Http;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Amnify.Api.Features.Pipelines;

/// <summary>Every answer that carries a pipeline carries its ETag too.</summary>
internal static class PipelineResults
{
    public static Results<Ok<Pipeline>, ProblemHttpResult> Ok(HttpContext context, Result<Pipeline> result) =>
        result.Match(p =>
        {
            context.Response.Headers.ETag = ETags.For(p.Version);
            return TypedResults.Ok(p);
        });

    /// <summary>201 with the pipeline, its ETag and its Location (the GetPipeline route).</summary>
    public static Results<Created<Pipeline>, ProblemHttpResult> Created(HttpContext context, Result<Pipeline> result) =>
        result.Match(p =>
        {
            context.Response.Headers.ETag = ETags.For(p.Version);
            return TypedResults.Created(context.PathTo("GetPipeline", p.Id), p);
        });
}
