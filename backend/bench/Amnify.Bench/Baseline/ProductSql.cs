namespace Amnify.Bench.Baseline;

/// <summary>
/// The SQL the product runs for the benchmarked endpoints, copied from backend/src/Amnify.Api (the file is
/// named on each). The baseline app runs it with bare Npgsql, and the scale benchmark EXPLAINs it.
/// When the product's SQL changes, change it here too; `make bench` compares both servers' JSON.
/// </summary>
public static class ProductSql
{
    // Features/Deployments/Deployment.cs — Deployment.Select
    public const string DeploymentSelect = """
        SELECT d.id, d.provider, d.project_id, p.name AS project_name, d.template_id, t.name AS template_name,
               d.cloud_environment_id, e.name AS cloud_environment_name, d.name, d.description,
               d.variables::text AS variables_json, d.sensitive_keys AS sensitive_variables, d.tags,
               CASE WHEN active.status IN ('awaitingPlanApproval', 'awaitingApplyApproval') THEN 'awaitingApproval'
                    WHEN active.status IS NOT NULL THEN 'running'
                    WHEN cardinality(d.missing_variables) > 0 THEN 'needsConfiguration'
                    ELSE d.outcome END AS status,
               d.missing_variables, d.require_distinct_approver, d.created_at, d.updated_at
        FROM deployments d
        JOIN projects p ON p.id = d.project_id
        JOIN templates t ON t.id = d.template_id
        JOIN cloud_environments e ON e.id = d.cloud_environment_id
        LEFT JOIN LATERAL (
            SELECT r.status FROM deployment_runs r
            WHERE r.deployment_id = d.id AND r.status NOT IN ('completed', 'destroyed', 'noChanges', 'failed', 'cancelled')
            ORDER BY r.status IN ('awaitingPlanApproval', 'awaitingApplyApproval') DESC, r.queued_at DESC LIMIT 1
        ) active ON true
        """;

    // Features/Pipelines/Pipeline.cs — SelectPipeline, SelectSteps
    public const string SelectPipeline = """
        SELECT p.id, p.provider, p.name, p.description, p.version, p.created_at, p.updated_at,
               (SELECT r.id FROM pipeline_runs r WHERE r.pipeline_id = p.id AND r.status IN ('queued', 'running', 'awaitingApproval')) AS active_run_id
        FROM pipelines p WHERE p.id = @id
        """;

    public const string SelectPipelineSteps = $"""
        SELECT s.id, s.position, s.deployment_id, d.name AS deployment_name, d.template_name, d.status AS deployment_status
        FROM pipeline_steps s
        JOIN ({DeploymentSelect}) d ON d.id = s.deployment_id
        WHERE s.pipeline_id = @id
        ORDER BY s.position
        """;

    // Features/Pipelines/ListPipelines.cs
    public const string ListPipelines = """
        SELECT p.id, p.provider, p.name, p.description, p.updated_at,
               (SELECT count(*) FROM pipeline_steps s WHERE s.pipeline_id = p.id) AS step_count,
               last.status AS last_run_status, last.id AS last_run_id
        FROM pipelines p
        LEFT JOIN LATERAL (
            SELECT r.id, r.status FROM pipeline_runs r WHERE r.pipeline_id = p.id ORDER BY r.number DESC LIMIT 1
        ) last ON true
        WHERE (@Provider::text IS NULL OR p.provider = @Provider)
          AND (@Pattern::text IS NULL OR lower(p.name) LIKE @Pattern)
          AND (@AfterKey::text IS NULL OR (lower(p.name), p.id) > (@AfterKey, @AfterId::uuid))
        ORDER BY lower(p.name), p.id
        LIMIT @Take
        """;

    // Features/PipelineRuns/PipelineRun.cs — Select, SelectSteps
    public const string SelectPipelineRun = """
        SELECT r.id, r.pipeline_id, p.name AS pipeline_name, r.number, r.status, r.triggered_by, r.trigger_source,
               r.cancelled_by, r.created_at, r.started_at, r.finished_at, r.current_position AS current_step_position
        FROM pipeline_runs r JOIN pipelines p ON p.id = r.pipeline_id
        WHERE r.id = @id
        """;

    public const string SelectPipelineRunSteps = """
        SELECT s.pipeline_run_id, s.position, s.deployment_id, s.deployment_name, s.status, s.deployment_run_id,
               d.status AS deployment_run_status, s.started_at, s.finished_at, d.plan_summary::text AS plan_json
        FROM pipeline_run_steps s LEFT JOIN deployment_runs d ON d.id = s.deployment_run_id
        WHERE s.pipeline_run_id = ANY(@Ids)
        ORDER BY s.position
        """;

    // Engine/PipelineOrchestrator.cs — Trigger, Advance, Cancel, DeploymentRunChanged
    public const string LockPipeline = "SELECT name FROM pipelines WHERE id = @PipelineId FOR UPDATE";

    public const string ActiveRun = """
        SELECT id, number FROM pipeline_runs WHERE pipeline_id = @PipelineId AND status IN ('queued', 'running', 'awaitingApproval')
        """;

    public const string Unconfigured = """
        SELECT d.name FROM pipeline_steps s JOIN deployments d ON d.id = s.deployment_id
        WHERE s.pipeline_id = @PipelineId AND cardinality(d.missing_variables) > 0 ORDER BY s.position
        """;

    public const string HasSteps = "SELECT EXISTS (SELECT 1 FROM pipeline_steps WHERE pipeline_id = @PipelineId)";

    public const string CreateRun = """
        WITH numbered AS (UPDATE pipelines SET run_count = run_count + 1 WHERE id = @PipelineId RETURNING run_count)
        INSERT INTO pipeline_runs (id, pipeline_id, number, status, triggered_by, trigger_source, idempotency_key)
        SELECT @Id, @PipelineId, run_count, 'queued', @TriggeredBy, @Source, @IdempotencyKey FROM numbered;
        INSERT INTO pipeline_run_steps (pipeline_run_id, position, deployment_id, deployment_name, status)
        SELECT @Id, s.position, s.deployment_id, d.name, 'pending'
        FROM pipeline_steps s JOIN deployments d ON d.id = s.deployment_id
        WHERE s.pipeline_id = @PipelineId;
        """;

    public const string NextStep = """
        SELECT position, deployment_id FROM pipeline_run_steps
        WHERE pipeline_run_id = @PipelineRunId AND position > @Position AND status = 'pending'
        ORDER BY position LIMIT 1
        """;

    public const string StartStep = """
        UPDATE pipeline_run_steps SET status = 'running', deployment_run_id = @DeploymentRunId, started_at = now()
        WHERE pipeline_run_id = @PipelineRunId AND position = @Position AND status = 'pending'
        """;

    public const string SetRunStatus = """
        UPDATE pipeline_runs SET status = @Status, current_position = @Position,
            started_at = COALESCE(started_at, now()),
            finished_at = CASE WHEN @Status IN ('completed', 'failed', 'cancelled') THEN now() END
        WHERE id = @PipelineRunId AND status IN ('queued', 'running', 'awaitingApproval')
        """;

    public const string NotifyPipelineRun = "SELECT pg_notify('amnify_run_events', @Id::text)";

    public const string CurrentStep = """
        SELECT s.deployment_run_id FROM pipeline_run_steps s
        WHERE s.pipeline_run_id = @PipelineRunId AND s.status = 'running'
        """;

    public const string StepOfRun = """
        SELECT s.pipeline_run_id, s.position, p.triggered_by
        FROM pipeline_run_steps s JOIN pipeline_runs p ON p.id = s.pipeline_run_id
        WHERE s.deployment_run_id = @RunId AND s.status = 'running'
        FOR UPDATE OF p
        """;

    public const string SettleStep = """
        UPDATE pipeline_run_steps SET status = @Status, finished_at = now()
        WHERE pipeline_run_id = @PipelineRunId AND position = @Position AND status = 'running'
        """;

    public const string NotRunRest = """
        UPDATE pipeline_run_steps SET status = 'notRun'
        WHERE pipeline_run_id = @PipelineRunId AND status = 'pending'
        """;

    public const string SetCancelledBy = "UPDATE pipeline_runs SET cancelled_by = @Actor WHERE id = @Id";

    // Engine/RunQueue.cs — Snapshot, Insert
    public const string Snapshot = """
        SELECT d.id, d.name, d.missing_variables, d.variables::text AS variables_json, d.sensitive_keys,
               d.sensitive_encrypted, d.cloud_environment_id, t.current_version_id AS template_version_id
        FROM deployments d JOIN templates t ON t.id = d.template_id
        WHERE d.id = @DeploymentId
        FOR SHARE OF d
        """;

    public const string EnqueueRun = """
        INSERT INTO deployment_runs (id, deployment_id, operation, status, template_version_id, cloud_environment_id,
                                     variables, sensitive_keys, sensitive_encrypted, triggered_by, pipeline_run_id, event_seq)
        VALUES (@Id, @DeploymentId, @Operation, 'queued', @TemplateVersionId, @CloudEnvironmentId,
                @VariablesJson::jsonb, @SensitiveKeys, @SensitiveEncrypted, @TriggeredBy, @PipelineRunId, 1);
        INSERT INTO run_events (run_id, seq, kind, text) VALUES (@Id, 1, 'status', 'queued');
        NOTIFY amnify_run_queue;
        """;

    // Engine/RunTransitions.cs — the Cancel transition as RunTransitions.Apply builds it, and what follows a final state
    public const string CancelTransition = """
        UPDATE deployment_runs SET status = @To, event_seq = event_seq + 1, worker_id = NULL, lease_expires_at = NULL, cancelled_by = @Actor, cancel_reason = @Reason, finished_at = now()
        WHERE id = @Id AND status = ANY(@From)
        RETURNING id, deployment_id, operation, status, event_seq, pipeline_run_id
        """;

    public const string AddStatusEvent = """
        INSERT INTO run_events (run_id, seq, kind, text) VALUES (@Id, @Seq, 'status', @Status);
        SELECT pg_notify('amnify_run_events', @Id::text);
        """;

    public const string RecordOutcome = """
        UPDATE deployments SET
            outcome = CASE
                WHEN @Status = 'completed' THEN 'deployed'
                WHEN @Status = 'destroyed' THEN 'destroyed'
                WHEN @Status = 'noChanges' AND @Operation = 'destroy' THEN 'destroyed'
                WHEN @Status = 'noChanges' AND outcome = 'neverDeployed' THEN 'deployed'
                WHEN @Status = 'failed' THEN 'failed'
                ELSE outcome END,
            has_infrastructure = CASE
                WHEN @Status = 'destroyed' OR (@Status = 'noChanges' AND @Operation = 'destroy') THEN false
                ELSE has_infrastructure END,
            updated_at = now()
        WHERE id = @DeploymentId
        """;

    public const string NextInLine = """
        SELECT id FROM deployment_runs WHERE deployment_id = @DeploymentId AND status = 'pending'
        ORDER BY queued_at, id LIMIT 1
        """;

    // Auth/AuditTrail.cs
    public const string Audit = """
        INSERT INTO audit_events (id, actor, action, resource_type, resource_id, details, source_ip)
        VALUES (@Id, @Actor, @Action, @ResourceType, @ResourceId, @Details, @SourceIp)
        """;

    // Auth/AmnifyAuthentication.cs — every API request with a bearer token
    public const string TokenLookup = """
        SELECT t.id, t.kind, t.name, t.pipeline_id, u.id AS user_id, u.email, u.role, t.last_used_at
        FROM api_tokens t JOIN users u ON u.id = t.user_id
        WHERE t.token_hash = @Hash AND t.revoked_at IS NULL AND (t.expires_at IS NULL OR t.expires_at > now()) AND NOT u.disabled
        """;

    public const string TouchToken = "UPDATE api_tokens SET last_used_at = now() WHERE id = @Id AND (last_used_at IS NULL OR last_used_at < now() - interval '1 minute')";

    // Features/DeploymentRuns/ListDeploymentRuns.cs + DeploymentRun.cs — Select
    public const string DeploymentExists = "SELECT EXISTS (SELECT 1 FROM deployments WHERE id = @DeploymentId)";

    public const string DeploymentRunHistory = """
        SELECT r.id, r.deployment_id, d.name AS deployment_name, r.operation, r.status, r.pipeline_run_id,
               left(v.content_hash, 12) AS template_version, r.attempt, r.triggered_by, r.queued_at, r.started_at,
               r.planned_at, r.plan_approved_by, r.plan_approved_at, r.apply_approved_by, r.apply_approved_at,
               r.apply_started_at, r.finished_at, r.cancelled_by, r.cancel_reason,
               r.plan_summary::text AS plan_json, r.outputs::text AS outputs_json, r.error, d.require_distinct_approver
        FROM deployment_runs r
        JOIN deployments d ON d.id = r.deployment_id
        JOIN template_versions v ON v.id = r.template_version_id
         WHERE r.deployment_id = @DeploymentId
          AND (@AfterKey::timestamptz IS NULL OR (r.queued_at, r.id) < (@AfterKey::timestamptz, @AfterId::uuid))
        ORDER BY r.queued_at DESC, r.id DESC
        LIMIT @Take
        """;

    // Features/DeploymentRuns/RunEvents.cs — Log
    public const string RunStatus = "SELECT status FROM deployment_runs WHERE id = @Id";

    public const string LogAfter = """
        SELECT seq, kind, text FROM run_events
        WHERE run_id = @Id AND seq > @After AND (@Kind::text IS NULL OR kind = @Kind)
        ORDER BY seq LIMIT @Take
        """;

    // Engine/RunWorker.cs — what a worker runs to pick up the next run (dispatch latency)
    public const string NextClaimable = """
        SELECT id, deployment_id, status, queued_at FROM deployment_runs
        WHERE status = 'queued' OR (status IN ('applying', 'destroying') AND apply_started_at IS NULL)
        ORDER BY queued_at, id
        LIMIT 1
        FOR UPDATE SKIP LOCKED
        """;

    public const string DeploymentBusy = """
        SELECT EXISTS (
            SELECT 1 FROM deployment_runs
            WHERE deployment_id = @DeploymentId AND id <> @Id
              AND (status IN ('initializing', 'planning', 'awaitingPlanApproval', 'awaitingApplyApproval', 'applying', 'destroying')
                   OR (status IN ('queued', 'pending') AND (queued_at, id) < (@QueuedAt, @Id))))
        """;

    // Features/PipelineRuns/PipelineRunEvents.cs — the SSE fingerprint, read on every wake-up of a live pipeline view
    public const string PipelineRunFingerprint = """
        SELECT r.status || ':' || coalesce(r.current_position, 0) || ':' ||
               coalesce((SELECT string_agg(s.status || '/' || coalesce(d.status, '') || '/' || coalesce(d.event_seq, 0), ',' ORDER BY s.position)
                         FROM pipeline_run_steps s LEFT JOIN deployment_runs d ON d.id = s.deployment_run_id
                         WHERE s.pipeline_run_id = r.id), '') AS fingerprint,
               r.status
        FROM pipeline_runs r WHERE r.id = @Id
        """;
}
