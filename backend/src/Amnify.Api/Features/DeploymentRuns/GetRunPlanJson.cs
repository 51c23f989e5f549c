using Amnify.Api.Database;
using Amnify.Api.Failures;
using Amnify.Api.Http;
using Dapper;
using Mediator;

namespace Amnify.Api.Features.DeploymentRuns;

/// <summary>
/// The structured plan (<see cref="Terraform.StructuredPlan"/>: resource and output changes, attribute by attribute,
/// sensitive values masked) as the engine stored it at plan time; not found until the run has planned.
/// </summary>
[CanFail(FailureKind.NotFound)]
public sealed record GetRunPlanJson(Guid RunId) : IQuery<Result<string>>;

public sealed class GetRunPlanJsonHandler(Db db) : IQueryHandler<GetRunPlanJson, Result<string>>
{
    // Served as stored: a plan of thousands of resources is not parsed and written again on every read.
    private const string Select = "SELECT plan_json::text FROM deployment_runs WHERE id = @RunId";

    public async ValueTask<Result<string>> Handle(GetRunPlanJson query, CancellationToken cancellationToken)
    {
        var rows = (await db.Read((c, token) => c.QueryAsync<string?>(new CommandDefinition(Select, query, cancellationToken: token)), cancellationToken)).AsList();
        if (rows.Count == 0) return Failure.NotFound($"Deployment run {query.RunId}");
        return rows[0] is { } json ? json : new Failure(FailureKind.NotFound, "Not found", "The run has no plan yet: it has not finished planning.");
    }
}

public static class GetRunPlanJsonEndpoint
{
    public static async Task<IResult> Handle(Guid id, ISender sender, CancellationToken ct)
    {
        var result = await sender.Send(new GetRunPlanJson(id), ct);
        return result.Failure is { } failure ? failure.ToProblem() : Results.Text(result.Value, "application/json; charset=utf-8");
    }
}
