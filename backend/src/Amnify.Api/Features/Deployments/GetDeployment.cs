using Amnify.Api.Database;
using Amnify.Api.Failures;
using Amnify.Api.Http;
using Dapper;
using Mediator;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Amnify.Api.Features.Deployments;

[CanFail(FailureKind.NotFound)]
public sealed record GetDeployment(Guid Id) : IQuery<Result<Deployment>>;

public sealed class GetDeploymentHandler(Db db) : IQueryHandler<GetDeployment, Result<Deployment>>
{
    private const string Pipelines = """
        SELECT p.id, p.name FROM pipeline_steps s JOIN pipelines p ON p.id = s.pipeline_id
        WHERE s.deployment_id = @Id ORDER BY lower(p.name), p.id
        """;

    public async ValueTask<Result<Deployment>> Handle(GetDeployment query, CancellationToken cancellationToken) =>
        await db.Read(async (c, token) => await Deployment.Load(c, query.Id, null, token) is { } deployment
            ? deployment with
            {
                Pipelines = (await c.QueryAsync<DeploymentPipeline>(new CommandDefinition(Pipelines, new { query.Id }, cancellationToken: token))).ToArray(),
            }
            : null, cancellationToken) is { } found
            ? found
            : Failure.NotFound($"Deployment {query.Id}");
}

public static class GetDeploymentEndpoint
{
    public static async Task<Results<Ok<Deployment>, ProblemHttpResult>> Handle(Guid id, ISender sender, CancellationToken ct) =>
        (await sender.Send(new GetDeployment(id), ct)).Match(TypedResults.Ok);
}
