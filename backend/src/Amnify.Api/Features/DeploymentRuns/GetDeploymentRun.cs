using Amnify.Api.Database;
using Amnify.Api.Failures;
using Amnify.Api.Http;
using Mediator;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Amnify.Api.Features.DeploymentRuns;

[CanFail(FailureKind.NotFound)]
public sealed record GetDeploymentRun(Guid Id) : IQuery<Result<DeploymentRun>>;

public sealed class GetDeploymentRunHandler(Db db) : IQueryHandler<GetDeploymentRun, Result<DeploymentRun>>
{
    public async ValueTask<Result<DeploymentRun>> Handle(GetDeploymentRun query, CancellationToken cancellationToken) =>
        await db.Read((c, token) => DeploymentRun.Load(c, query.Id, null, token), cancellationToken) is { } run
            ? run
            : Failure.NotFound($"Deployment run {query.Id}");
}

public static class GetDeploymentRunEndpoint
{
    public static async Task<Results<Ok<DeploymentRun>, ProblemHttpResult>> Handle(Guid id, HttpContext context, ISender sender, CancellationToken ct) =>
        (await sender.Send(new GetDeploymentRun(id), ct)).Match(r => TypedResults.Ok(r.For(context.User)));
}
