using FluentMigrator;

namespace Amnify.Api.Database.Migrations;

[Migration(3, "Deployment runs, their events, and the engine's queue")]
public sealed class M0003_DeploymentRuns : ForwardOnlyMigration
{
    public override void Up() => Execute.Sql("""
        CREATE TABLE deployment_runs (
            id                   uuid PRIMARY KEY,
            deployment_id        uuid NOT NULL REFERENCES deployments (id) ON DELETE CASCADE,
            operation            text NOT NULL CHECK (operation IN ('execute', 'destroy')),
            status               text NOT NULL CHECK (status IN ('queued', 'pending', 'initializing', 'planning',
                                     'awaitingPlanApproval', 'awaitingApplyApproval', 'applying', 'destroying',
                                     'completed', 'destroyed', 'noChanges', 'failed', 'cancelled')),
            -- The snapshot the run works from, whatever happens to the deployment or template later.
            template_version_id  uuid NOT NULL REFERENCES template_versions (id),
            cloud_environment_id uuid NOT NULL REFERENCES cloud_environments (id),
            variables            jsonb NOT NULL,
            sensitive_keys       text[] NOT NULL DEFAULT '{}',
            sensitive_encrypted  bytea,
            -- The plan file is sealed (it holds variable values); apply checks its SHA-256 against the approved one.
            plan_encrypted       bytea,
            plan_sha256          text,
            approved_plan_sha256 text,
            plan_summary         jsonb,
            plan_text            text,
            outputs              jsonb,
            error                text,
            pipeline_run_id      uuid,
            attempt              int NOT NULL DEFAULT 0,
            worker_id            text,
            lease_expires_at     timestamptz,
            event_seq            int NOT NULL DEFAULT 0,
            triggered_by         text NOT NULL,
            plan_approved_by     text,
            plan_approved_at     timestamptz,
            apply_approved_by    text,
            apply_approved_at    timestamptz,
            cancelled_by         text,
            cancel_reason        text,
            queued_at            timestamptz NOT NULL DEFAULT now(),
            started_at           timestamptz,
            planned_at           timestamptz,
            apply_started_at     timestamptz,
            finished_at          timestamptz
        );
        CREATE INDEX deployment_runs_history ON deployment_runs (deployment_id, queued_at DESC, id DESC);
        -- The worker's queue: what a worker can pick up now.
        CREATE INDEX deployment_runs_claimable ON deployment_runs (queued_at)
            WHERE status = 'queued' OR (status IN ('applying', 'destroying') AND apply_started_at IS NULL);
        CREATE INDEX deployment_runs_leased ON deployment_runs (lease_expires_at) WHERE worker_id IS NOT NULL;
        CREATE INDEX deployment_runs_unfinished ON deployment_runs (deployment_id, queued_at DESC)
            WHERE status NOT IN ('completed', 'destroyed', 'noChanges', 'failed', 'cancelled');
        CREATE INDEX deployment_runs_pending ON deployment_runs (deployment_id, queued_at) WHERE status = 'pending';
        -- The deployment lock: at most one run per deployment past the queue and not yet finished.
        CREATE UNIQUE INDEX deployment_runs_one_active ON deployment_runs (deployment_id)
            WHERE status IN ('initializing', 'planning', 'awaitingPlanApproval', 'awaitingApplyApproval', 'applying', 'destroying');

        -- Log lines and state changes of a run, numbered per run (the SSE event id and the log offset).
        CREATE TABLE run_events (
            run_id uuid NOT NULL REFERENCES deployment_runs (id) ON DELETE CASCADE,
            seq    int NOT NULL,
            kind   text NOT NULL CHECK (kind IN ('log', 'status')),
            text   text NOT NULL,
            at     timestamptz NOT NULL DEFAULT now(),
            PRIMARY KEY (run_id, seq)
        );
        """);
}
