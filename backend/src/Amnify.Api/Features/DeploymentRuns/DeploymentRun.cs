using System.Security.Claims;
using System.Text.Json;
using System.Text.Json.Serialization;
using Amnify.Api.Auth;
using Amnify.Api.Engine;
using Amnify.Api.Terraform;
using Dapper;
using Npgsql;

namespace Amnify.Api.Features.DeploymentRuns;

/// <summary>An output of a finished run; a sensitive one is masked.</summary>
public sealed record RunOutput(JsonElement Value, bool Sensitive);

/// <summary>
/// What the caller may do with the run now (decided by <see cref="RunPermissions"/>). Rejecting the gate the run waits
/// at is open exactly where approving it is.
/// </summary>
public sealed record RunActions(bool ApprovePlan, bool ApproveApply, bool Cancel)
{
    /// <summary>Why an approval the run waits for is closed to the caller: the policy's rules (e.g. "1 of 2 approvals"), or their role.</summary>
    public BlockedRunActions Blocked { get; init; } = new();

    /// <summary>Nothing, until the caller is known.</summary>
    public static readonly RunActions None = new(false, false, false);

    /// <summary>What <paramref name="caller"/> may do with a deployment run in <paramref name="status"/>.</summary>
    public static RunActions For(Caller caller, RunStatus? status, ApprovalFacts run)
    {
        var (plan, apply, cancel) = (RunPermissions.ApprovePlan(caller, status, run), RunPermissions.ApproveApply(caller, status, run),
            RunPermissions.CancelDeploymentRun(caller, status));
        return new(plan.Allowed, apply.Allowed, cancel.Allowed)
        {
            Blocked = new BlockedRunActions { ApprovePlan = plan.Blocked, ApproveApply = apply.Blocked },
        };
    }
}

/// <summary>Each approval the run waits for that the caller may not give, with the reason to show instead of its button.</summary>
public sealed record BlockedRunActions
{
    public string? ApprovePlan { get; init; }
    public string? ApproveApply { get; init; }
}

/// <summary>One person's decision at a gate: who, when, why, and the SHA-256 of the plan they decided on.</summary>
public sealed record RunApproval
{
    [JsonIgnore] public Guid RunId { get; init; }
    public required ApprovalGate Gate { get; init; }
    public required ApprovalDecision Decision { get; init; }
    public Guid? UserId { get; init; }
    public required string UserName { get; init; }
    [JsonIgnore] public bool ByAdmin { get; init; }
    public required DateTimeOffset At { get; init; }
    public string? Comment { get; init; }
    public required string PlanSha256 { get; init; }

    internal const string OfRuns = """
        SELECT run_id, gate, decision, user_id, user_name, by_admin, at, comment, plan_sha256 FROM run_approvals
        WHERE run_id = ANY(@Ids) ORDER BY at, id
        """;

    /// <summary>
    /// The decisions on the deployment runs of pipeline runs @Ids' steps, so a pipeline run's read sends it with its
    /// steps' statement instead of after it. A semi-join: a resumed run's step names its earlier run's deployment run.
    /// </summary>
    internal const string OfPipelineRunSteps = """
        SELECT run_id, gate, decision, user_id, user_name, by_admin, at, comment, plan_sha256 FROM run_approvals
        WHERE run_id IN (SELECT deployment_run_id FROM pipeline_run_steps WHERE pipeline_run_id = ANY(@Ids))
        ORDER BY at, id
        """;

    /// <summary>The decisions of many runs in one query, by run.</summary>
    internal static async Task<ILookup<Guid, RunApproval>> Load(
        NpgsqlConnection connection, IEnumerable<Guid> runIds, NpgsqlTransaction? transaction, CancellationToken cancellationToken) =>
        (await connection.QueryAsync<RunApproval>(new CommandDefinition(OfRuns, new { Ids = runIds.Distinct().ToArray() }, transaction, cancellationToken: cancellationToken)))
        .ToLookup(a => a.RunId);

    /// <summary>What the approval policy counts of <paramref name="approvals"/>: approvals of the plan the run holds now.</summary>
    internal static ApprovalFacts Facts(ApprovalPolicy policy, Guid? triggeredBy, IEnumerable<RunApproval> approvals, string? heldPlan, PlanSummary? plan) =>
        new(policy, triggeredBy,
            approvals.Where(a => a.Decision == ApprovalDecision.Approved && a.PlanSha256 == heldPlan)
                .Select(a => new GateApproval(a.Gate, a.UserId, a.ByAdmin)).ToList(),
            plan is { } p && p.Destroy + p.Replace > 0);
}

/// <summary>The pipeline run a deployment run belongs to: "part of Run #<c>Number</c> of <c>PipelineName</c>".</summary>
public sealed record PipelineRunRef(Guid Id, int Number, Guid PipelineId, string PipelineName);

/// <summary>A status a run entered, and when.</summary>
public sealed record RunStatusChange
{
    public required RunStatus Status { get; init; }
    public required DateTimeOffset At { get; init; }
}

/// <summary>One execute or destroy of a deployment, with who did what and when.</summary>
public sealed record DeploymentRun
{
    public required Guid Id { get; init; }
    public required Guid DeploymentId { get; init; }
    public required string DeploymentName { get; init; }
    public required RunOperation Operation { get; init; }
    public required RunStatus Status { get; init; }
    public Guid? PipelineRunId { get; init; }
    /// <summary>The pipeline run that started this run, so a reader can go back to it; null when run on its own.</summary>
    public PipelineRunRef? PipelineRun { get; init; }
    public required string TemplateVersion { get; init; }
    public required int Attempt { get; init; }
    public required string TriggeredBy { get; init; }
    /// <summary>Who triggered the run by user id (a CI token's owner), as four-eyes compares people; not on the wire.</summary>
    [JsonIgnore] public Guid? TriggeredByUserId { get; init; }
    public required DateTimeOffset QueuedAt { get; init; }
    public DateTimeOffset? StartedAt { get; init; }
    public DateTimeOffset? PlannedAt { get; init; }
    public string? PlanApprovedBy { get; init; }
    [JsonIgnore] public Guid? PlanApprovedByUserId { get; init; }
    public DateTimeOffset? PlanApprovedAt { get; init; }
    public string? ApplyApprovedBy { get; init; }
    public DateTimeOffset? ApplyApprovedAt { get; init; }
    public DateTimeOffset? ApplyStartedAt { get; init; }
    public DateTimeOffset? FinishedAt { get; init; }
    public string? CancelledBy { get; init; }
    public string? CancelReason { get; init; }
    public PlanSummary? Plan { get; init; }
    public Dictionary<string, RunOutput>? Outputs { get; init; }
    /// <summary>Variables whose value for this run came from elsewhere (a pipeline step's input), and from where; never the values.</summary>
    public required VariableOrigin[] VariableOrigins { get; init; }
    public string? Error { get; init; }
    /// <summary>The approval policy in force for this run, fixed when it was triggered: later changes of its environment or deployment change only later runs.</summary>
    public required ApprovalPolicy Policy { get; init; }
    /// <summary>
    /// Four-eyes, as earlier releases spelled it: whoever triggered the run or approved its plan may not approve its apply
    /// (both of the policy's distinctness rules).
    /// </summary>
    public bool RequireDistinctApprover => Policy.RequiresDistinctApprover;
    /// <summary>Every decision on the run, oldest first.</summary>
    public required RunApproval[] Approvals { get; init; }
    /// <summary>The SHA-256 of the plan awaiting approval (send it back as planSha256 to bind a decision to it); null at no gate.</summary>
    public string? PlanSha256 { get; init; }
    [JsonIgnore] public string? HeldPlanSha256 { get; init; }
    /// <summary>How far the gate the run waits at is, e.g. "1 of 2 approvals"; null at no gate.</summary>
    public ApprovalProgress? ApprovalProgress { get; init; }
    /// <summary>What the caller may do now, given the run's state, their role and the approval policy.</summary>
    public required RunActions Actions { get; init; }
    /// <summary>Each status the run entered and when, oldest first (from its status events): the phases' durations.
    /// Only on the run itself (<c>GET /deployment-runs/{id}</c>), null in lists.</summary>
    public RunStatusChange[]? StatusChanges { get; init; }

    [JsonIgnore] public ApprovalFacts Facts => RunApproval.Facts(Policy, TriggeredByUserId, Approvals, HeldPlanSha256, Plan);

    public DeploymentRun For(ClaimsPrincipal caller) => this with { Actions = RunActions.For(Caller.From(caller), Status, Facts) };

    internal const string Select = """
        SELECT r.id, r.deployment_id, d.name AS deployment_name, r.operation, r.status, r.pipeline_run_id,
               left(v.content_hash, 12) AS template_version, r.attempt, r.triggered_by, r.triggered_by_user_id, r.queued_at, r.started_at,
               r.planned_at, r.plan_approved_by, r.plan_approved_by_user_id, r.plan_approved_at, r.apply_approved_by, r.apply_approved_at,
               r.apply_started_at, r.finished_at, r.cancelled_by, r.cancel_reason,
               r.plan_summary AS plan, r.outputs, r.variable_origins, r.error, r.approval_policy AS policy, r.plan_sha256 AS held_plan_sha256,
               CASE WHEN pr.id IS NOT NULL THEN json_build_object('id', pr.id, 'number', pr.number, 'pipelineId', pr.pipeline_id, 'pipelineName', pp.name) END AS pipeline_run
        FROM deployment_runs r
        JOIN deployments d ON d.id = r.deployment_id
        JOIN template_versions v ON v.id = r.template_version_id
        LEFT JOIN pipeline_runs pr ON pr.id = r.pipeline_run_id
        LEFT JOIN pipelines pp ON pp.id = pr.pipeline_id
        """;

    /// <summary>One run and its decisions in one round trip (both statements sent together).</summary>
    internal static async Task<DeploymentRun?> Load(NpgsqlConnection connection, Guid id, NpgsqlTransaction? transaction, CancellationToken cancellationToken)
    {
        await using var results = await connection.QueryMultipleAsync(new CommandDefinition(
            $"{Select} WHERE r.id = @Id;\n{RunApproval.OfRuns}", new { Id = id, Ids = new[] { id } }, transaction, cancellationToken: cancellationToken));
        return await Read(results);
    }

    /// <summary>
    /// Reads what a batch that starts with <see cref="Select"/> for one run and <see cref="RunApproval.OfRuns"/> for it
    /// answered, leaving any later statements' results to the caller.
    /// </summary>
    internal static async Task<DeploymentRun?> Read(SqlMapper.GridReader results)
    {
        var runs = (await results.ReadAsync<DeploymentRun>()).AsList();
        var approvals = (await results.ReadAsync<RunApproval>()).ToLookup(a => a.RunId);
        return WithApprovals(runs, approvals).SingleOrDefault();
    }

    /// <summary>The runs <paramref name="sql"/> selects, with their decisions (two queries whatever their number).</summary>
    internal static async Task<List<DeploymentRun>> LoadMany(
        NpgsqlConnection connection, string sql, object parameters, NpgsqlTransaction? transaction, CancellationToken cancellationToken)
    {
        var runs = (await connection.QueryAsync<DeploymentRun>(new CommandDefinition(sql, parameters, transaction, cancellationToken: cancellationToken))).AsList();
        if (runs.Count == 0) return runs;
        return WithApprovals(runs, await RunApproval.Load(connection, runs.Select(r => r.Id), transaction, cancellationToken));
    }

    private static List<DeploymentRun> WithApprovals(List<DeploymentRun> runs, ILookup<Guid, RunApproval> approvals) =>
        // No actions until For knows the caller: an answer that forgets to ask offers nothing.
        runs.Select(r => r with { Approvals = approvals[r.Id].ToArray(), Actions = RunActions.None }).Select(r => r with
        {
            PlanSha256 = r.Status.AwaitsApproval() ? r.HeldPlanSha256 : null,
            ApprovalProgress = r.Facts.ProgressAt(r.Status),
        }).ToList();
}
