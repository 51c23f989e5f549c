using Amnify.Api.Auth;
using Amnify.Api.Database;
using Amnify.Api.Engine;
using Amnify.Api.Failures;
using Dapper;
using Npgsql;

namespace Amnify.Api.Features.DeploymentRuns;

/// <summary>
/// What approvals and cancels share: one transition in a transaction, and when the run is not in a
/// state that allows it, a 409 naming the state it is in (or the guard's own refusal, e.g. four-eyes).
/// </summary>
internal static class RunDecision
{
    private const string CurrentState = $"""
        SELECT status, operation, triggered_by_user_id, plan_approved_by_user_id,
               {ApprovalPolicy.RequiresDistinctApprover} AS require_distinct_approver
        FROM deployment_runs WHERE id = @Id
        """;

    /// <summary>The run as a decision sees it; the approval rule is the run's own snapshot, never the deployment's current one.</summary>
    internal sealed record State
    {
        public required RunStatus Status { get; init; }
        public required RunOperation Operation { get; init; }
        public Guid? TriggeredByUserId { get; init; }
        public Guid? PlanApprovedByUserId { get; init; }
        public required bool RequireDistinctApprover { get; init; }
    }

    /// <param name="guard">
    /// An early, explained refusal. The transition's own conditional UPDATE enforces the same rule, so a guard
    /// read before a concurrent change cannot let a decision through; when the UPDATE refuses, the guard is asked
    /// again on the state as it is now to explain why.
    /// </param>
    public static async Task<Result<DeploymentRun>> Decide(
        Db db, AuditTrail audit, string action, Guid runId, Func<NpgsqlConnection, NpgsqlTransaction, RunOperation, Task<TransitionedRun?>> transition,
        Func<RunStatus, string> refusal, CancellationToken cancellationToken, Func<State, Failure?>? guard = null)
    {
        await using var connection = await db.Open(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        var state = await connection.QuerySingleOrDefaultAsync<State>(new CommandDefinition(CurrentState, new { Id = runId }, transaction, cancellationToken: cancellationToken));
        if (state is null) return Failure.NotFound($"Deployment run {runId}");
        if (guard?.Invoke(state) is { } refused) return refused;
        var done = await transition(connection, transaction, state.Operation);
        if (done is null)
        {
            var now = await connection.QuerySingleAsync<State>(new CommandDefinition(CurrentState, new { Id = runId }, transaction, cancellationToken: cancellationToken));
            return guard?.Invoke(now) ?? Failure.Conflict(refusal(now.Status));
        }
        await audit.Record(connection, transaction, action, "deploymentRun", runId);
        var run = (await DeploymentRun.Load(connection, runId, transaction, cancellationToken))!;
        await transaction.CommitAsync(cancellationToken);
        return run;
    }
}
