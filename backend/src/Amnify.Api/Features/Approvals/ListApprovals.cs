using Amnify.Api.Auth;
using Amnify.Api.Database;
using Amnify.Api.Engine;
using Amnify.Api.Failures;
using Amnify.Api.Features.DeploymentRuns;
using Amnify.Api.Features.Providers;
using Amnify.Api.Http;
using Amnify.Api.Terraform;
using Dapper;
using FluentValidation;
using Mediator;
using Microsoft.AspNetCore.Http.HttpResults;
using Npgsql;

namespace Amnify.Api.Features.Approvals;

/// <summary>
/// The caller's inbox: every gate they may decide now (<see cref="RunPermissions"/>, as each run's actions say), oldest
/// waiting first, a page at a time.
/// </summary>
[CanFail(FailureKind.Invalid)]
public sealed record ListApprovals(Caller Caller, string? Provider, int Limit, string? Cursor) : IQuery<Result<Page<PendingApproval>>>;

public sealed class ListApprovalsValidator : AbstractValidator<ListApprovals>
{
    public ListApprovalsValidator()
    {
        this.AddListRules(x => x.Limit, x => x.Cursor, key: CursorKey.Instant);
        RuleFor(x => x.Provider).Must(CloudProviders.IsKnown).WithMessage($"Provider must be {CloudProviders.KnownCodes}.");
    }
}

public sealed class ListApprovalsHandler(Db db) : IQueryHandler<ListApprovals, Result<Page<PendingApproval>>>
{
    /// <summary>Waiting gates after the keyset position (M0011's index deployment_runs_awaiting), without those the caller already approved.</summary>
    private const string Waiting = $"""
        SELECT r.id AS run_id, r.deployment_id, d.name AS deployment_name, r.operation,
               CASE WHEN r.status = 'awaitingPlanApproval' THEN 'plan' ELSE 'apply' END AS gate,
               r.pipeline_run_id, pr.pipeline_id, p.name AS pipeline_name, pr.number AS pipeline_run_number, s.position AS step_position,
               r.plan_summary AS plan, r.plan_sha256, r.triggered_by, r.triggered_by_user_id, r.approval_policy AS policy,
               COALESCE(r.plan_approved_at, r.planned_at) AS waiting_since
        FROM deployment_runs r
        JOIN deployments d ON d.id = r.deployment_id
        LEFT JOIN pipeline_runs pr ON pr.id = r.pipeline_run_id
        LEFT JOIN pipelines p ON p.id = pr.pipeline_id
        LEFT JOIN pipeline_run_steps s ON s.pipeline_run_id = r.pipeline_run_id AND s.deployment_run_id = r.id
        WHERE r.status IN ({RunStatuses.Sql.AwaitingApproval}) AND r.plan_sha256 IS NOT NULL
          AND (@Provider::text IS NULL OR d.provider = @Provider)
          AND (@AfterKey::timestamptz IS NULL
               OR (COALESCE(r.plan_approved_at, r.planned_at), r.id) > (@AfterKey::timestamptz, @AfterId::uuid))
          AND NOT EXISTS (SELECT 1 FROM run_approvals a
                          WHERE a.run_id = r.id AND a.user_id = @UserId AND a.decision = 'approved' AND a.plan_sha256 = r.plan_sha256
                            AND a.gate = CASE WHEN r.status = 'awaitingPlanApproval' THEN 'plan' ELSE 'apply' END)
        ORDER BY COALESCE(r.plan_approved_at, r.planned_at), r.id
        LIMIT @Take
        """;

    private sealed record Row
    {
        public required Guid RunId { get; init; }
        public required Guid DeploymentId { get; init; }
        public required string DeploymentName { get; init; }
        public required RunOperation Operation { get; init; }
        public required ApprovalGate Gate { get; init; }
        public Guid? PipelineRunId { get; init; }
        public Guid? PipelineId { get; init; }
        public string? PipelineName { get; init; }
        public int? PipelineRunNumber { get; init; }
        public int? StepPosition { get; init; }
        public PlanSummary? Plan { get; init; }
        public required string PlanSha256 { get; init; }
        public required string TriggeredBy { get; init; }
        public Guid? TriggeredByUserId { get; init; }
        public required ApprovalPolicy Policy { get; init; }
        public required DateTimeOffset WaitingSince { get; init; }
    }

    public async ValueTask<Result<Page<PendingApproval>>> Handle(ListApprovals query, CancellationToken cancellationToken)
    {
        // Nobody without a role that approves, or without a user id, decides any gate.
        if (query.Caller is not { Role: >= RunPermissions.Approves, UserId: not null }) return new Page<PendingApproval>([], null);
        var after = Cursor.Decode(query.Cursor);
        var items = await db.Read((c, token) => Decidable(c, query, after, token), cancellationToken);
        return Cursor.Paginate(items, query.Limit, i => new Cursor(Cursor.Instant(i.WaitingSince), i.RunId.ToString()));
    }

    /// <summary>
    /// Up to Limit + 1 gates the caller may decide. The SQL leaves out what it cheaply can; the policy's other rules
    /// (distinctness, role, an admin's place) are <see cref="RunPermissions"/>' to decide, so batches are read until the
    /// page is full or no gate is left.
    /// </summary>
    private static async Task<List<PendingApproval>> Decidable(NpgsqlConnection connection, ListApprovals query, Cursor? after, CancellationToken cancellationToken)
    {
        var take = query.Limit + 1;
        var found = new List<PendingApproval>();
        var (afterKey, afterId) = (after?.Key, after?.Id);
        while (found.Count < take)
        {
            var rows = (await connection.QueryAsync<Row>(new CommandDefinition(Waiting, new
            {
                query.Provider, AfterKey = afterKey, AfterId = afterId, query.Caller.UserId, Take = take,
            }, cancellationToken: cancellationToken))).AsList();
            if (rows.Count == 0) break;
            var approvals = await RunApproval.Load(connection, rows.Select(r => r.RunId), null, cancellationToken);
            foreach (var row in rows)
            {
                var facts = RunApproval.Facts(row.Policy, row.TriggeredByUserId, approvals[row.RunId], row.PlanSha256, row.Plan);
                if (RunPermissions.Refusal(query.Caller, row.Gate, facts) is not null) continue;
                found.Add(new PendingApproval
                {
                    RunId = row.RunId, DeploymentId = row.DeploymentId, DeploymentName = row.DeploymentName, Operation = row.Operation,
                    Gate = row.Gate, PipelineRunId = row.PipelineRunId, PipelineId = row.PipelineId, PipelineName = row.PipelineName,
                    PipelineRunNumber = row.PipelineRunNumber, StepPosition = row.StepPosition, Plan = row.Plan, PlanSha256 = row.PlanSha256,
                    TriggeredBy = row.TriggeredBy, WaitingSince = row.WaitingSince, Progress = facts.Progress(row.Gate),
                });
                if (found.Count == take) break;
            }
            if (rows.Count < take) break;
            (afterKey, afterId) = (Cursor.Instant(rows[^1].WaitingSince), rows[^1].RunId.ToString());
        }
        return found;
    }
}

public static class ListApprovalsEndpoint
{
    public static async Task<Results<Ok<Page<PendingApproval>>, ProblemHttpResult>> Handle(
        HttpContext context, ISender sender, CancellationToken ct, string? provider = null, int limit = Cursor.DefaultLimit, string? cursor = null) =>
        (await sender.Send(new ListApprovals(Caller.From(context.User), provider, limit, cursor), ct)).Match(TypedResults.Ok);
}
