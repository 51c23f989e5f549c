using Amnify.Api.Database;
using Amnify.Api.Engine;
using Amnify.Api.Http;
using Dapper;

namespace Amnify.Api.Features.DeploymentRuns;

/// <summary>
/// What approvals and cancels share: one transition in a transaction, and when the run is not in a
/// state that allows it, a 409 naming the state it is in.
/// </summary>
internal static class RunDecision
{
    private const string CurrentState = "SELECT status, operation FROM deployment_runs WHERE id = @Id";

    private sealed record State
    {
        public required RunStatus Status { get; init; }
        public required RunOperation Operation { get; init; }
    }

    public static async Task<Result<DeploymentRun>> Decide(
        Db db, RunTransitions transitions, Guid runId, Func<RunOperation, RunTrigger> trigger, object values,
        Func<RunStatus, string> refusal, CancellationToken cancellationToken)
    {
        await using var connection = await db.Open(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        var state = await connection.QuerySingleOrDefaultAsync<State>(CurrentState, new { Id = runId }, transaction);
        if (state is null) return Failure.NotFound($"Deployment run {runId}");
        var done = await transitions.Apply(connection, transaction, runId, trigger(state.Operation), values);
        if (done is null)
        {
            var now = await connection.QuerySingleAsync<State>(CurrentState, new { Id = runId }, transaction);
            return Failure.Conflict(refusal(now.Status));
        }
        var run = (await DeploymentRun.Load(connection, runId, transaction))!;
        await transaction.CommitAsync(cancellationToken);
        return run;
    }
}
