using Amnify.Api.Database;
using Amnify.Api.Failures;
using Amnify.Api.Http;
using Mediator;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Amnify.Api.Features.Projects;

[CanFail(FailureKind.NotFound)]
public sealed record GetProject(Guid Id) : IQuery<Result<Project>>;

public sealed class GetProjectHandler(Db db) : IQueryHandler<GetProject, Result<Project>>
{
    public async ValueTask<Result<Project>> Handle(GetProject query, CancellationToken cancellationToken) =>
        await db.Read((c, token) => Project.Load(c, query.Id, token), cancellationToken) is { } project
            ? project
            : Failure.NotFound($"Project {query.Id}");
}

public static class GetProjectEndpoint
{
    public static async Task<Results<Ok<Project>, ProblemHttpResult>> Handle(Guid id, ISender sender, CancellationToken ct) =>
        (await sender.Send(new GetProject(id), ct)).Match(TypedResults.Ok);
}
