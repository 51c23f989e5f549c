using Amnify.Api.Database;
using Amnify.Api.Failures;
using Amnify.Api.Http;
using Dapper;
using Mediator;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Amnify.Api.Features.DeploymentRuns;

[CanFail(FailureKind.NotFound)]
public sealed record GetDeploymentRun(Guid Id) : IQuery<Result<DeploymentRun>>;

public sealed class GetDeploymentRunHandler(Db db) : IQueryHandler<GetDeploymentRun, Result<DeploymentRun>>
{
    private const string StatusChanges = """
        SELECT text AS status, at FROM run_events WHERE run_id = @Id AND kind = 'status' ORDER BY seq
        """;

    /// <summary>The run, its decisions and its status changes in one round trip (the statements sent together).</summary>
    public async ValueTask<Result<DeploymentRun>> Handle(GetDeploymentRun query, CancellationToken cancellationToken) =>
        await db.Read(async (c, token) =>
        {
            await using var results = await c.QueryMultipleAsync(new CommandDefinition(
                $"{DeploymentRun.Select} WHERE r.id = @Id;\n{RunApproval.OfRuns};\n{StatusChanges}", new { query.Id, Ids = new[] { query.Id } },
                cancellationToken: token));
            var run = await DeploymentRun.Read(results);
            var changes = (await results.ReadAsync<RunStatusChange>()).ToArray();
            return run is null ? null : run with { StatusChanges = changes };
        }, cancellationToken) is { } found
            ? found
            : Failure.NotFound($"Deployment run {query.Id}");
}

public static class GetDeploymentRunEndpoint
{
    public static async Task<Results<Ok<DeploymentRun>, ProblemHttpResult>> Handle(Guid id, HttpContext context, ISender sender, CancellationToken ct) =>
        (await sender.Send(new GetDeploymentRun(id), ct)).Match(r => TypedResults.Ok(r.For(context.User)));
}
