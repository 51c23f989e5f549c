using System.ComponentModel.DataAnnotations;
using System.Security.Claims;
using System.Text.Json.Serialization;
using Amnify.Api.Auth;
using Amnify.Api.Engine;
using Amnify.Api.Features.DeploymentRuns;
using Amnify.Api.Terraform;
using Dapper;
using Npgsql;

namespace Amnify.Api.Features.PipelineRuns;

/// <summary>A step of a pipeline run, as snapshotted at trigger time, with its deployment run's progress.</summary>
public sealed record PipelineRunStep
{
    public required int Position { get; init; }
    public required Guid DeploymentId { get; init; }
    public required string DeploymentName { get; init; }
    public required PipelineStepStatus Status { get; init; }
    /// <summary>Why a skipped step was skipped; for completedInEarlierRun, <see cref="DeploymentRunId"/> is the run that did it.</summary>
    public StepSkipReason? SkipReason { get; init; }
    /// <summary>Why the step failed: an input without a value (before its deployment run existed), or its deployment run's error.</summary>
    public string? Error { get; init; }
    /// <summary>Its variables taken from other steps' outputs, as frozen into this run.</summary>
    public required FrozenInput[] Inputs { get; init; }
    public Guid? DeploymentRunId { get; init; }
    public RunStatus? DeploymentRunStatus { get; init; }
    public DateTimeOffset? StartedAt { get; init; }
    public DateTimeOffset? FinishedAt { get; init; }
    /// <summary>The plan of the step's deployment run, for approving it in place.</summary>
    public PlanSummary? Plan { get; init; }
    /// <summary>Who decided each gate of the step's deployment run, with their comments, oldest first.</summary>
    public required RunApproval[] Approvals { get; init; }
    /// <summary>How far the gate the step waits at is, e.g. "1 of 2 approvals".</summary>
    public ApprovalProgress? ApprovalProgress { get; init; }
    /// <summary>The SHA-256 of the step's plan awaiting approval, to bind an approval from here to it.</summary>
    public string? PlanSha256 { get; init; }
    public string? CancelledBy { get; init; }
    public string? CancelReason { get; init; }
    /// <summary>What the caller may do with the step's deployment run now: the same decision as on the run itself.</summary>
    public required RunActions Actions { get; init; }
    [JsonIgnore] public ApprovalFacts? Approval { get; init; }
}

/// <summary>What the caller may do with the pipeline run now (decided by <see cref="RunPermissions"/>).</summary>
public sealed record PipelineRunActions(bool Cancel, bool Resume)
{
    public static readonly PipelineRunActions None = new(false, false);
}

public sealed record PipelineRun
{
    public required Guid Id { get; init; }
    public required Guid PipelineId { get; init; }
    public required string PipelineName { get; init; }
    /// <summary>#1, #2… per pipeline.</summary>
    public required int Number { get; init; }
    public required PipelineRunStatus Status { get; init; }
    /// <summary>execute runs the steps in order; destroy runs a destroy of each, in reverse order.</summary>
    public required RunOperation Operation { get; init; }
    /// <summary>The failed or cancelled run this one resumes: same frozen steps and inputs, from its first unfinished step.</summary>
    public Guid? ResumedFromRunId { get; init; }
    public required string TriggeredBy { get; init; }
    /// <summary>ui, api or ci.</summary>
    [AllowedValues("ui", "api", "ci")]
    public required string TriggerSource { get; init; }
    public string? CancelledBy { get; init; }
    public required DateTimeOffset CreatedAt { get; init; }
    public DateTimeOffset? StartedAt { get; init; }
    public DateTimeOffset? FinishedAt { get; init; }
    public int? CurrentStepPosition { get; init; }
    public required PipelineRunStep[] Steps { get; init; }
    public required PipelineRunActions Actions { get; init; }
    /// <summary>Another run of the pipeline is active (then none can be resumed).</summary>
    [JsonIgnore] public bool PipelineBusy { get; init; }

    /// <summary>The run and each step's actions as <paramref name="caller"/> may take them.</summary>
    public PipelineRun For(ClaimsPrincipal caller)
    {
        var who = Caller.From(caller);
        return this with
        {
            Actions = new PipelineRunActions(RunPermissions.CancelPipelineRun(who, Status).Allowed,
                RunPermissions.ResumePipelineRun(who, Status, PipelineBusy).Allowed),
            Steps = Steps.Select(s => s with
            {
                Actions = s.Approval is null ? RunActions.None : RunActions.For(who, s.DeploymentRunStatus, s.Approval),
            }).ToArray(),
        };
    }

    internal const string Select = $"""
        SELECT r.id, r.pipeline_id, p.name AS pipeline_name, r.number, r.status, r.operation, r.resumed_from_run_id, r.triggered_by,
               r.trigger_source, r.cancelled_by, r.created_at, r.started_at, r.finished_at, r.current_position AS current_step_position,
               EXISTS (SELECT 1 FROM pipeline_runs a WHERE a.pipeline_id = r.pipeline_id AND a.status IN ({RunStatuses.Sql.PipelineActive})) AS pipeline_busy
        FROM pipeline_runs r JOIN pipelines p ON p.id = r.pipeline_id
        """;

    private const string SelectSteps = """
        SELECT s.pipeline_run_id, s.position, s.deployment_id, s.deployment_name, s.status, s.skip_reason, s.inputs, s.deployment_run_id,
               d.status AS deployment_run_status, s.started_at, s.finished_at, d.plan_summary AS plan,
               d.triggered_by_user_id, d.approval_policy AS policy, d.plan_sha256, COALESCE(s.error, d.error) AS error, d.cancelled_by, d.cancel_reason
        FROM pipeline_run_steps s LEFT JOIN deployment_runs d ON d.id = s.deployment_run_id
        WHERE s.pipeline_run_id = ANY(@Ids)
        ORDER BY s.position
        """;

    private sealed record StepRow
    {
        public required Guid PipelineRunId { get; init; }
        public required int Position { get; init; }
        public required Guid DeploymentId { get; init; }
        public required string DeploymentName { get; init; }
        public required PipelineStepStatus Status { get; init; }
        public StepSkipReason? SkipReason { get; init; }
        public string? Error { get; init; }
        public required FrozenInput[] Inputs { get; init; }
        public Guid? DeploymentRunId { get; init; }
        public RunStatus? DeploymentRunStatus { get; init; }
        public DateTimeOffset? StartedAt { get; init; }
        public DateTimeOffset? FinishedAt { get; init; }
        public PlanSummary? Plan { get; init; }
        public Guid? TriggeredByUserId { get; init; }
        public ApprovalPolicy? Policy { get; init; }
        public string? PlanSha256 { get; init; }
        public string? CancelledBy { get; init; }
        public string? CancelReason { get; init; }
    }

    /// <summary>Loads the runs selected by <paramref name="where"/>, then their steps and the steps' decisions in one more round trip.</summary>
    internal static async Task<List<PipelineRun>> Load(NpgsqlConnection connection, string where, object parameters, NpgsqlTransaction? transaction, CancellationToken cancellationToken)
    {
        var runs = (await connection.QueryAsync<PipelineRun>(new CommandDefinition($"{Select} {where}", parameters, transaction, cancellationToken: cancellationToken))).AsList();
        if (runs.Count == 0) return runs;
        await using var results = await connection.QueryMultipleAsync(new CommandDefinition(
            $"{SelectSteps};\n{RunApproval.OfPipelineRunSteps}", new { Ids = runs.Select(r => r.Id).ToArray() }, transaction, cancellationToken: cancellationToken));
        return await WithSteps(runs, results);
    }

    /// <summary>One run, its steps and their decisions in one round trip (the statements sent together).</summary>
    internal static async Task<PipelineRun?> Load(NpgsqlConnection connection, Guid id, NpgsqlTransaction? transaction, CancellationToken cancellationToken)
    {
        await using var results = await connection.QueryMultipleAsync(new CommandDefinition(
            $"{Select} WHERE r.id = @Id;\n{SelectSteps};\n{RunApproval.OfPipelineRunSteps}", new { Id = id, Ids = new[] { id } }, transaction,
            cancellationToken: cancellationToken));
        var runs = (await results.ReadAsync<PipelineRun>()).AsList();
        return (await WithSteps(runs, results)).SingleOrDefault();
    }

    /// <summary>The runs with what <paramref name="results"/> holds next: <see cref="SelectSteps"/>, then <see cref="RunApproval.OfPipelineRunSteps"/>.</summary>
    private static async Task<List<PipelineRun>> WithSteps(List<PipelineRun> runs, SqlMapper.GridReader results)
    {
        var steps = (await results.ReadAsync<StepRow>()).ToLookup(s => s.PipelineRunId);
        var approvals = (await results.ReadAsync<RunApproval>()).ToLookup(a => a.RunId);
        return runs.Select(r => r with
        {
            Steps = steps[r.Id].Select(s => new PipelineRunStep
            {
                Position = s.Position, DeploymentId = s.DeploymentId, DeploymentName = s.DeploymentName, Status = s.Status,
                SkipReason = s.SkipReason, Error = s.Error, Inputs = s.Inputs,
                DeploymentRunId = s.DeploymentRunId, DeploymentRunStatus = s.DeploymentRunStatus, StartedAt = s.StartedAt,
                FinishedAt = s.FinishedAt,
                Plan = s.Plan,
                Approvals = s.DeploymentRunId is { } run ? approvals[run].ToArray() : [],
                PlanSha256 = s.DeploymentRunStatus?.AwaitsApproval() == true ? s.PlanSha256 : null,
                CancelledBy = s.CancelledBy,
                CancelReason = s.CancelReason,
                Actions = RunActions.None,
                Approval = s is { DeploymentRunId: { } id, Policy: { } policy }
                    ? RunApproval.Facts(policy, s.TriggeredByUserId, approvals[id], s.PlanSha256, s.Plan)
                    : null,
            }).Select(s => s with { ApprovalProgress = s.Approval?.ProgressAt(s.DeploymentRunStatus) }).ToArray(),
            // Nothing until For knows the caller: an answer that forgets to ask offers nothing.
            Actions = PipelineRunActions.None,
        }).ToList();
    }
}
