using System.Data;
using System.Text.Json;
using System.Text.Json.Serialization;
using Dapper;

namespace Amnify.Api.Engine;

/// <summary>The two human gates of a run.</summary>
public enum ApprovalGate
{
    Plan = 1,
    Apply,
}

public enum ApprovalDecision
{
    Approved = 1,
    Rejected,
}

/// <summary>The least role whose approvals count.</summary>
public enum ApproverRole
{
    Approver = 1,
    Admin,
}

/// <summary>
/// Who may approve a run and how many must: set per cloud environment by admins, tightened per deployment
/// (<see cref="ApprovalPolicyOverride"/>), and snapshotted on the run when it is triggered (<c>deployment_runs.approval_policy</c>),
/// so changing either mid-run changes only later runs. Every rule is checked from that snapshot in the transitions' SQL
/// (under the run's row lock, counts by distinct user id) and explained from the same snapshot here, in C#.
/// </summary>
public sealed record ApprovalPolicy
{
    public const int MaxApprovals = 5;
    public const int MaxTimeoutHours = 24 * 30;

    /// <summary>How many distinct people must approve the plan.</summary>
    public int PlanApprovals { get; init; } = 1;
    /// <summary>How many distinct people must approve the apply.</summary>
    public int ApplyApprovals { get; init; } = 1;
    /// <summary>Whoever triggered the run (a CI token: its owner) may not approve its apply.</summary>
    public bool DistinctFromTrigger { get; init; }
    /// <summary>Whoever approved the plan may not approve the apply.</summary>
    public bool DistinctBetweenGates { get; init; }
    public ApproverRole ApproverRole { get; init; } = ApproverRole.Approver;
    /// <summary>A plan that destroys or replaces anything needs one more plan approval, from an admin.</summary>
    public bool ExtraApprovalOnDestroy { get; init; }
    /// <summary>A gate left waiting this long ends the run <c>expired</c>; null waits for ever.</summary>
    public int? ApprovalTimeoutHours { get; init; }

    /// <summary>The four-eyes flag of earlier releases: both distinctness rules.</summary>
    [JsonIgnore] public bool RequiresDistinctApprover => DistinctFromTrigger && DistinctBetweenGates;

    /// <summary>How many approvals <paramref name="gate"/> needs; a destroying plan may need one more (from an admin).</summary>
    public int Required(ApprovalGate gate, bool planDestroys) =>
        gate == ApprovalGate.Plan ? PlanApprovals + (NeedsAdmin(gate, planDestroys) ? 1 : 0) : ApplyApprovals;

    public bool NeedsAdmin(ApprovalGate gate, bool planDestroys) => gate == ApprovalGate.Plan && ExtraApprovalOnDestroy && planDestroys;

    /// <summary>The gate a run in <paramref name="status"/> waits at, if any.</summary>
    public static ApprovalGate? GateOf(RunStatus? status) => status switch
    {
        RunStatus.AwaitingPlanApproval => ApprovalGate.Plan,
        RunStatus.AwaitingApplyApproval => ApprovalGate.Apply,
        _ => null,
    };

    internal static readonly JsonSerializerOptions Json = new(JsonSerializerOptions.Web)
    {
        Converters = { new JsonStringEnumConverter(JsonNamingPolicy.CamelCase) },
    };

    /// <summary>
    /// Reads a snapshot. One written before policies existed holds only <c>requireDistinctApprover</c> (M0008's column
    /// default, or a harness's row): it means both distinctness rules, and a missing flag means the stricter rule.
    /// </summary>
    public static ApprovalPolicy FromSnapshot(string json)
    {
        using var document = JsonDocument.Parse(json);
        if (document.RootElement.TryGetProperty("requireDistinctApprover", out var flag) && !document.RootElement.TryGetProperty("distinctFromTrigger", out _))
        {
            var distinct = flag.ValueKind != JsonValueKind.False;
            return new ApprovalPolicy { DistinctFromTrigger = distinct, DistinctBetweenGates = distinct };
        }
        return JsonSerializer.Deserialize<ApprovalPolicy>(json, Json)!;
    }

    public string ToJson() => JsonSerializer.Serialize(this, Json);

    /// <summary>Dapper reads a policy column (jsonb as text) through <see cref="FromSnapshot"/>.</summary>
    internal sealed class Column : SqlMapper.TypeHandler<ApprovalPolicy>
    {
        public override void SetValue(IDbDataParameter parameter, ApprovalPolicy? value) => parameter.Value = value?.ToJson() ?? (object)DBNull.Value;

        public override ApprovalPolicy Parse(object value) => FromSnapshot((string)value);
    }

    /// <summary>
    /// The policy a new run takes, over the deployment row <c>d</c>: its cloud environment's, made stricter by the
    /// deployment's own (larger counts, either flag, the higher role, the shorter timeout). A deployment can only tighten.
    /// </summary>
    public const string ForNewRun = """
        (SELECT jsonb_build_object(
            'planApprovals', GREATEST(COALESCE((e.p->>'planApprovals')::int, 1), (o.p->>'planApprovals')::int),
            'applyApprovals', GREATEST(COALESCE((e.p->>'applyApprovals')::int, 1), (o.p->>'applyApprovals')::int),
            'distinctFromTrigger', COALESCE((e.p->>'distinctFromTrigger')::boolean, false) OR COALESCE((o.p->>'distinctFromTrigger')::boolean, false),
            'distinctBetweenGates', COALESCE((e.p->>'distinctBetweenGates')::boolean, false) OR COALESCE((o.p->>'distinctBetweenGates')::boolean, false),
            'approverRole', CASE WHEN 'admin' IN (e.p->>'approverRole', o.p->>'approverRole') THEN 'admin' ELSE 'approver' END,
            'extraApprovalOnDestroy', COALESCE((e.p->>'extraApprovalOnDestroy')::boolean, false) OR COALESCE((o.p->>'extraApprovalOnDestroy')::boolean, false),
            'approvalTimeoutHours', LEAST((e.p->>'approvalTimeoutHours')::int, (o.p->>'approvalTimeoutHours')::int))
         FROM (SELECT approval_policy AS p FROM cloud_environments WHERE id = d.cloud_environment_id) e, (SELECT d.approval_policy AS p) o)
        """;

    // The fragments below read the run row of the statement they are part of (deployment_runs, unaliased); a missing key
    // in a snapshot reads as the stricter value.

    private const string CurrentPlanApprovals = """
        FROM run_approvals a WHERE a.run_id = deployment_runs.id AND a.decision = 'approved' AND a.plan_sha256 = deployment_runs.plan_sha256
        """;

    public const string PlanDestroys =
        "(COALESCE((deployment_runs.plan_summary->>'destroy')::int, 0) + COALESCE((deployment_runs.plan_summary->>'replace')::int, 0) > 0)";

    private const string NeedsAdminSql = $"(COALESCE((deployment_runs.approval_policy->>'extraApprovalOnDestroy')::boolean, true) AND {PlanDestroys})";

    /// <summary>The approver (@ActorId, an admin when @ByAdmin) is known by user id and has the role the snapshot asks for.</summary>
    public const string ApproverQualifies = """
         AND @ActorId::uuid IS NOT NULL
         AND (@ByAdmin OR COALESCE(deployment_runs.approval_policy->>'approverRole', 'admin') = 'approver')
        """;

    /// <summary>
    /// At the plan gate of a destroying plan that needs an admin's approval, a non-admin may not take the last place:
    /// once the other approvals are given, only an admin completes the gate.
    /// </summary>
    public const string KeepsTheAdminPlace = $"""
         AND (@ByAdmin OR NOT {NeedsAdminSql}
              OR EXISTS (SELECT 1 {CurrentPlanApprovals} AND a.gate = 'plan' AND a.by_admin)
              OR (SELECT count(DISTINCT a.user_id) {CurrentPlanApprovals} AND a.gate = 'plan')
                 < COALESCE((deployment_runs.approval_policy->>'planApprovals')::int, 5))
        """;

    /// <summary>
    /// The apply gate's distinctness: @ActorId is none of those the snapshot shuts out (M0021's function, which the
    /// approval events use too, so who is told they may approve is who may).
    /// </summary>
    public const string ApplyApproverIsDistinct = """
         AND NOT EXISTS (SELECT 1 FROM unnest(amnify_apply_gate_excluded(deployment_runs)) x(user_id)
                         WHERE x.user_id IS NOT DISTINCT FROM @ActorId::uuid)
        """;

    /// <summary>Enough distinct people approved the plan (and an admin among them when the snapshot asks for one).</summary>
    public const string PlanGateIsMet = $"""
         AND (SELECT count(DISTINCT a.user_id) {CurrentPlanApprovals} AND a.gate = 'plan')
             >= COALESCE((deployment_runs.approval_policy->>'planApprovals')::int, 5) + CASE WHEN {NeedsAdminSql} THEN 1 ELSE 0 END
         AND (NOT {NeedsAdminSql} OR EXISTS (SELECT 1 {CurrentPlanApprovals} AND a.gate = 'plan' AND a.by_admin))
        """;

    /// <summary>Enough distinct people approved the apply.</summary>
    public const string ApplyGateIsMet = $"""
         AND (SELECT count(DISTINCT a.user_id) {CurrentPlanApprovals} AND a.gate = 'apply')
             >= COALESCE((deployment_runs.approval_policy->>'applyApprovals')::int, 5)
        """;

    /// <summary>The gate has waited longer than the snapshot allows (plan gate since the plan, apply gate since the plan's approval).</summary>
    public const string GateTimedOut = """
         AND (deployment_runs.approval_policy->>'approvalTimeoutHours') IS NOT NULL
         AND COALESCE(deployment_runs.plan_approved_at, deployment_runs.planned_at)
             + make_interval(hours => (deployment_runs.approval_policy->>'approvalTimeoutHours')::int) <= now()
        """;
}

/// <summary>What a deployment tightens in its environment's policy; a field left null follows the environment.</summary>
public sealed record ApprovalPolicyOverride
{
    public int? PlanApprovals { get; init; }
    public int? ApplyApprovals { get; init; }
    public bool? DistinctFromTrigger { get; init; }
    public bool? DistinctBetweenGates { get; init; }
    public ApproverRole? ApproverRole { get; init; }
    public bool? ExtraApprovalOnDestroy { get; init; }
    public int? ApprovalTimeoutHours { get; init; }

    /// <summary>The four-eyes flag of earlier releases, as this override spells it.</summary>
    [JsonIgnore] public bool RequiresDistinctApprover => DistinctFromTrigger == true && DistinctBetweenGates == true;

    private static readonly JsonSerializerOptions Json = new(ApprovalPolicy.Json) { DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull };

    public string ToJson() => JsonSerializer.Serialize(this, Json);

    internal sealed class Column : SqlMapper.TypeHandler<ApprovalPolicyOverride>
    {
        public override void SetValue(IDbDataParameter parameter, ApprovalPolicyOverride? value) => parameter.Value = value?.ToJson() ?? (object)DBNull.Value;

        public override ApprovalPolicyOverride Parse(object value) => JsonSerializer.Deserialize<ApprovalPolicyOverride>((string)value, Json)!;
    }
}
