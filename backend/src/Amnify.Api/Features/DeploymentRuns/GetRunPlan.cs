using Amnify.Api.Database;
using Amnify.Api.Failures;
using Amnify.Api.Http;
using Dapper;
using Mediator;

namespace Amnify.Api.Features.DeploymentRuns;

/// <summary>The readable plan (sensitive values masked), once the run has planned.</summary>
[CanFail(FailureKind.NotFound, FailureKind.Conflict)]
public sealed record GetRunPlan(Guid RunId) : IQuery<Result<string>>;

public sealed class GetRunPlanHandler(Db db) : IQueryHandler<GetRunPlan, Result<string>>
{
    private const string Select = "SELECT plan_text FROM deployment_runs WHERE id = @RunId";

    public async ValueTask<Result<string>> Handle(GetRunPlan query, CancellationToken cancellationToken)
    {
        var rows = (await db.Read((c, token) => c.QueryAsync<string?>(new CommandDefinition(Select, query, cancellationToken: token)), cancellationToken)).AsList();
        if (rows.Count == 0) return Failure.NotFound($"Deployment run {query.RunId}");
        return rows[0] is { } text ? text : Failure.Conflict("The run has not planned yet.");
    }
}

public static class GetRunPlanEndpoint
{
    public static async Task<IResult> Handle(Guid id, ISender sender, CancellationToken ct)
    {
        var result = await sender.Send(new GetRunPlan(id), ct);
        return result.Failure is { } failure ? failure.ToProblem() : Results.Text(result.Value, "text/plain; charset=utf-8");
    }
}
