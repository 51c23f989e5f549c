using Amnify.Api.Auth;
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
    private const string CurrentState = """
        SELECT r.status, r.operation, r.triggered_by, r.plan_approved_by, d.require_distinct_approver
        FROM deployment_runs r JOIN deployments d ON d.id = r.deployment_id WHERE r.id = @Id
        """;

    internal sealed record State
    {
        public required RunStatus Status { get; init; }
        public required RunOperation Operation { get; init; }
        public required string TriggeredBy { get; init; }
        public string? PlanApprovedBy { get; init; }
        public required bool RequireDistinctApprover { get; init; }
    }

    public static async Task<Result<DeploymentRun>> Decide(
        Db db, RunTransitions transitions, AuditTrail audit, string action, Guid runId, Func<RunOperation, RunTrigger> trigger,
        object values, Func<RunStatus, string> refusal, CancellationToken cancellationToken, Func<State, Failure?>? guard = null)
    {
        await using var connection = await db.Open(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        var state = await connection.QuerySingleOrDefaultAsync<State>(CurrentState, new { Id = runId }, transaction);
        if (state is null) return Failure.NotFound($"Deployment run {runId}");
        if (guard?.Invoke(state) is { } refused) return refused;
        var done = await transitions.Apply(connection, transaction, runId, trigger(state.Operation), values);
        if (done is null)
        {
            var now = await connection.QuerySingleAsync<State>(CurrentState, new { Id = runId }, transaction);
            return Failure.Conflict(refusal(now.Status));
        }
        await audit.Record(connection, transaction, action, "deploymentRun", runId);
        var run = (await DeploymentRun.Load(connection, runId, transaction))!;
        await transaction.CommitAsync(cancellationToken);
        return run;
    }
}
