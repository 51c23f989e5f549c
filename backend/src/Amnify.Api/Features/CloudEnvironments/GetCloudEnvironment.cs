using Amnify.Api.Database;
using Amnify.Api.Failures;
using Amnify.Api.Http;
using Mediator;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Amnify.Api.Features.CloudEnvironments;

[CanFail(FailureKind.NotFound)]
public sealed record GetCloudEnvironment(Guid Id) : IQuery<Result<CloudEnvironment>>;

public sealed class GetCloudEnvironmentHandler(Db db) : IQueryHandler<GetCloudEnvironment, Result<CloudEnvironment>>
{
    public async ValueTask<Result<CloudEnvironment>> Handle(GetCloudEnvironment query, CancellationToken cancellationToken) =>
        await db.Read((c, token) => CloudEnvironment.Load(c, query.Id, token), cancellationToken) is { } environment
            ? environment
            : Failure.NotFound($"Cloud environment {query.Id}");
}

public static class GetCloudEnvironmentEndpoint
{
    public static async Task<Results<Ok<CloudEnvironment>, ProblemHttpResult>> Handle(Guid id, ISender sender, CancellationToken ct) =>
        (await sender.Send(new GetCloudEnvironment(id), ct)).Match(TypedResults.Ok);
}
