using Amnify.Api.Database;
using Amnify.Api.Failures;
using Amnify.Api.Http;
using Mediator;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Amnify.Api.Features.Deployments;

[CanFail(FailureKind.NotFound)]
public sealed record GetDeployment(Guid Id) : IQuery<Result<Deployment>>;

public sealed class GetDeploymentHandler(Db db) : IQueryHandler<GetDeployment, Result<Deployment>>
{
    public async ValueTask<Result<Deployment>> Handle(GetDeployment query, CancellationToken cancellationToken) =>
        await db.Read((c, token) => Deployment.Load(c, query.Id, null, token), cancellationToken) is { } deployment
            ? deployment
            : Failure.NotFound($"Deployment {query.Id}");
}

public static class GetDeploymentEndpoint
{
    public static async Task<Results<Ok<Deployment>, ProblemHttpResult>> Handle(Guid id, ISender sender, CancellationToken ct) =>
        (await sender.Send(new GetDeployment(id), ct)).Match(TypedResults.Ok);
}
