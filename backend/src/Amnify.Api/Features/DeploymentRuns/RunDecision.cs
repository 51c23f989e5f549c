using Amnify.Api.Auth;
using Amnify.Api.Database;
using Amnify.Api.Engine;
using Amnify.Api.Failures;
using Amnify.Api.Terraform;
using Dapper;
using FluentValidation;
using Npgsql;

namespace Amnify.Api.Features.DeploymentRuns;

/// <summary>
/// What approvals, rejections and cancels share: the run's row locked, one transition in that transaction, and when the
/// run is not in a state that allows it, a 409 naming the state it is in (or the guard's own refusal, e.g. four-eyes).
/// </summary>
internal static class RunDecision
{
    public const int MaxComment = 2000;

    // The lock is the one the transitions take: a decision is explained from the state it is then made on.
    private const string CurrentState = """
        SELECT status, operation, triggered_by_user_id, approval_policy AS policy, plan_sha256, plan_summary AS plan
        FROM deployment_runs WHERE id = @Id
        FOR UPDATE
        """;

    private sealed record Row
    {
        public required RunStatus Status { get; init; }
        public required RunOperation Operation { get; init; }
        public Guid? TriggeredByUserId { get; init; }
        public required ApprovalPolicy Policy { get; init; }
        public string? PlanSha256 { get; init; }
        public PlanSummary? Plan { get; init; }
    }

    /// <summary>The run as a decision sees it; the approval rules are the run's own snapshot, never its deployment's or environment's now.</summary>
    internal sealed record State(RunStatus Status, RunOperation Operation, string? PlanSha256, ApprovalFacts Facts);

    /// <param name="guard">
    /// An early, explained refusal, asked on the locked run. The transition's own conditional SQL enforces the same rules;
    /// when it refuses all the same, the guard is asked again to explain why, else the state's 409 answers.
    /// </param>
    public static async Task<Result<DeploymentRun>> Decide(
        Db db, AuditTrail audit, string action, Guid runId, Func<NpgsqlConnection, NpgsqlTransaction, State, Task<bool>> transition,
        Func<RunStatus, string> refusal, CancellationToken cancellationToken, Func<State, Failure?>? guard = null, Func<State, string?>? details = null)
    {
        await using var connection = await db.Open(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        var state = await Read(connection, transaction, runId, cancellationToken);
        if (state is null) return Failure.NotFound($"Deployment run {runId}");
        if (guard?.Invoke(state) is { } refused) return refused;
        if (!await transition(connection, transaction, state))
            return guard?.Invoke(state) ?? Failure.Conflict(refusal(state.Status));
        await audit.Record(connection, transaction, action, "deploymentRun", runId, details?.Invoke(state));
        var run = (await DeploymentRun.Load(connection, runId, transaction, cancellationToken))!;
        await transaction.CommitAndNotify(cancellationToken);
        return run;
    }

    private static async Task<State?> Read(NpgsqlConnection connection, NpgsqlTransaction transaction, Guid runId, CancellationToken cancellationToken)
    {
        var row = await connection.QuerySingleOrDefaultAsync<Row>(new CommandDefinition(CurrentState, new { Id = runId }, transaction, cancellationToken: cancellationToken));
        if (row is null) return null;
        var approvals = await RunApproval.Load(connection, [runId], transaction, cancellationToken);
        return new State(row.Status, row.Operation, row.PlanSha256,
            RunApproval.Facts(row.Policy, row.TriggeredByUserId, approvals[runId], row.PlanSha256, row.Plan));
    }

    /// <summary>
    /// Why <paramref name="caller"/> may not decide <paramref name="gate"/> with the plan they reviewed, only while the run
    /// waits at that gate (otherwise the state's own 409 says more): a plan other than the one awaiting approval (409), an
    /// approval already given (409), or the policy's rules (<see cref="RunPermissions.Refusal"/>, the same decision the
    /// run's actions show; 403).
    /// </summary>
    public static Failure? Refuses(State state, ApprovalGate gate, Caller caller, string? planSha256)
    {
        if (ApprovalPolicy.GateOf(state.Status) != gate) return null;
        if (planSha256 is not null && !string.Equals(planSha256, state.PlanSha256, StringComparison.OrdinalIgnoreCase))
            return Failure.Conflict(
                $"The plan you reviewed is not the plan awaiting approval: it has SHA-256 {state.PlanSha256?[..12]}…, you sent {planSha256[..Math.Min(12, planSha256.Length)]}…. Reload the run and review its plan again.");
        return RunPermissions.Refusal(caller, gate, state.Facts) switch
        {
            null => null,
            { Kind: RefusalKind.AlreadyApproved } r => Failure.Conflict($"{r.Reason}: each person approves a gate once."),
            { Kind: RefusalKind.NotDistinct } r when gate == ApprovalGate.Apply && caller.UserId is not null => Failure.Forbidden(
                $"{r.Reason}. This run requires a distinct approver: whoever triggered the run (or owns the CI token that did) or approved its plan cannot approve its apply.",
                title: RunPermissions.AnotherApproverIsNeeded),
            { Kind: RefusalKind.NotDistinct } r => Failure.Forbidden($"{r.Reason}.", title: RunPermissions.AnotherApproverIsNeeded),
            { } r => Failure.Forbidden($"{r.Reason}: this run's approval policy asks for it."),
        };
    }

    /// <summary>What the audit log keeps of a decision: the gate, the decision, the plan it was made on and the comment.</summary>
    public static string Audited(ApprovalGate gate, ApprovalDecision decision, State state, string? comment) =>
        $"gate: {gate.Code()}; decision: {decision.Code()}; planSha256: {state.PlanSha256}" + (comment is null ? "" : $"; comment: {comment}");

    /// <summary>What the audit log keeps of a cancel: the reason given, if any.</summary>
    public static string? CancelDetails(string? reason) => reason is null ? null : $"reason: {reason}";

    /// <summary>An optional comment, and an optional plan hash that must be a SHA-256 in hex.</summary>
    public static void DecisionRules<T>(this AbstractValidator<T> validator, Func<T, string?> comment, Func<T, string?> planSha256)
    {
        validator.RuleFor(x => comment(x)).MaximumLength(MaxComment).WithName("comment").OverridePropertyName("comment")
            .WithMessage($"A comment must be at most {MaxComment} characters.");
        validator.RuleFor(x => planSha256(x)).Must(h => h is null || (h.Length == 64 && h.All(char.IsAsciiHexDigit)))
            .OverridePropertyName("planSha256").WithMessage("planSha256 must be the plan's SHA-256: 64 hexadecimal characters.");
    }

    /// <summary>A comment trimmed, or null when empty.</summary>
    public static string? Clean(string? comment) => string.IsNullOrWhiteSpace(comment) ? null : comment.Trim();
}
