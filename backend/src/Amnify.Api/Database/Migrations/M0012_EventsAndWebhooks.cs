using Amnify.Api.Engine;
using FluentMigrator;

namespace Amnify.Api.Database.Migrations;

/// <summary>
/// Every state change of a deployment run, a pipeline run or a pipeline-run step, and every approval a run starts to
/// wait for, becomes a row of <c>events</c> — written by triggers on the runs' status columns, so in the transition's
/// own transaction (an event exists exactly when its change committed) without the transition code knowing, and no
/// transition added later can forget it. An event of a pipeline run is also numbered in that run's stream
/// (<c>pipeline_seq</c>, the SSE id): the number comes from the run's row (<c>event_seq</c>), whose lock orders the
/// stream's writers by commit, so a reader that resumes after N never skips a later-committed lower number. The
/// orchestrator already locks the pipeline run after the deployment run, so the lock adds no new order to deadlock on.
/// Each event is also queued once per webhook endpoint that wants it (<c>webhook_deliveries</c>), the outbox the
/// workers deliver from.
/// </summary>
[Migration(12, "Run events for live streams and webhooks, webhook endpoints and their deliveries")]
public sealed class M0012_EventsAndWebhooks : ForwardOnlyMigration
{
    public override void Up()
    {
        Execute.Sql(Tables);
        Execute.Sql(Functions);
        Execute.Sql(Triggers);
        Execute.Sql(Backfill);
    }

    private const string Tables = """
        ALTER TABLE pipeline_runs ADD COLUMN event_seq int NOT NULL DEFAULT 0;

        -- No foreign keys to the runs: an event outlives a deleted run until its webhooks are delivered.
        CREATE TABLE events (
            id                uuid PRIMARY KEY,
            type              text NOT NULL,
            pipeline_run_id   uuid,
            pipeline_seq      int,
            deployment_run_id uuid,
            data              jsonb NOT NULL,
            -- The clock, not the transaction's start: the events of one transition keep their order.
            at                timestamptz NOT NULL DEFAULT clock_timestamp()
        );
        CREATE UNIQUE INDEX events_pipeline_stream ON events (pipeline_run_id, pipeline_seq) WHERE pipeline_seq IS NOT NULL;

        CREATE TABLE webhook_endpoints (
            id               uuid PRIMARY KEY,
            url              text NOT NULL,
            description      text NOT NULL DEFAULT '',
            -- Empty: every type.
            event_types      text[] NOT NULL DEFAULT '{}',
            -- The signing secret, sealed with Secrets:Key and bound to this row.
            secret_encrypted bytea NOT NULL,
            enabled          boolean NOT NULL DEFAULT true,
            created_by       text NOT NULL,
            created_at       timestamptz NOT NULL DEFAULT now()
        );

        CREATE TABLE webhook_deliveries (
            id              uuid PRIMARY KEY,
            endpoint_id     uuid NOT NULL REFERENCES webhook_endpoints (id) ON DELETE CASCADE,
            event_id        uuid NOT NULL REFERENCES events (id),
            status          text NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'delivered', 'failed')),
            attempts        int NOT NULL DEFAULT 0,
            next_attempt_at timestamptz NOT NULL DEFAULT now(),
            created_at      timestamptz NOT NULL DEFAULT now(),
            delivered_at    timestamptz,
            UNIQUE (endpoint_id, event_id)
        );
        -- The workers' queue.
        CREATE INDEX webhook_deliveries_due ON webhook_deliveries (next_attempt_at) WHERE status = 'pending';
        CREATE INDEX webhook_deliveries_log ON webhook_deliveries (endpoint_id, created_at DESC, id DESC);

        CREATE TABLE webhook_attempts (
            delivery_id uuid NOT NULL REFERENCES webhook_deliveries (id) ON DELETE CASCADE,
            attempt     int NOT NULL,
            at          timestamptz NOT NULL DEFAULT now(),
            status_code int,
            error       text,
            duration_ms int NOT NULL,
            PRIMARY KEY (delivery_id, attempt)
        );
        """;

    private const string Functions = $$"""
        CREATE FUNCTION amnify_emit(p_type text, p_pipeline_run uuid, p_seq int, p_deployment_run uuid, p_data jsonb) RETURNS void
        LANGUAGE plpgsql AS $$
        DECLARE
            v_id uuid := gen_random_uuid();
        BEGIN
            INSERT INTO events (id, type, pipeline_run_id, pipeline_seq, deployment_run_id, data)
            VALUES (v_id, p_type, p_pipeline_run, p_seq, p_deployment_run, p_data);
            INSERT INTO webhook_deliveries (id, endpoint_id, event_id)
            SELECT gen_random_uuid(), w.id, v_id FROM webhook_endpoints w
            WHERE w.enabled AND (cardinality(w.event_types) = 0 OR p_type = ANY (w.event_types));
            IF p_seq IS NOT NULL THEN
                PERFORM pg_notify('{{RunChannels.Events}}', p_pipeline_run::text);
            END IF;
        END $$;

        -- The next number of a pipeline run's stream. Its row lock, held to commit, orders the stream by commit.
        CREATE FUNCTION amnify_pipeline_seq(p_pipeline_run uuid) RETURNS int
        LANGUAGE sql AS $$
            UPDATE pipeline_runs SET event_seq = event_seq + 1 WHERE id = p_pipeline_run RETURNING event_seq
        $$;

        CREATE FUNCTION amnify_pipeline_run_changed() RETURNS trigger
        LANGUAGE plpgsql AS $$
        BEGIN
            NEW.event_seq := NEW.event_seq + 1;
            PERFORM amnify_emit('pipelineRun.status', NEW.id, NEW.event_seq, NULL, jsonb_build_object(
                'pipelineRunId', NEW.id, 'pipelineId', NEW.pipeline_id, 'number', NEW.number, 'status', NEW.status,
                'previousStatus', CASE WHEN TG_OP = 'UPDATE' THEN OLD.status END, 'currentStepPosition', NEW.current_position));
            RETURN NEW;
        END $$;

        CREATE FUNCTION amnify_step_event(p_step pipeline_run_steps, p_previous text, p_run_status text, p_plan jsonb) RETURNS void
        LANGUAGE sql AS $$
            SELECT amnify_emit('pipelineRun.step', p_step.pipeline_run_id, amnify_pipeline_seq(p_step.pipeline_run_id), p_step.deployment_run_id,
                jsonb_build_object('pipelineRunId', p_step.pipeline_run_id, 'position', p_step.position, 'deploymentName', p_step.deployment_name,
                    'status', p_step.status, 'previousStatus', p_previous, 'deploymentRunId', p_step.deployment_run_id,
                    'deploymentRunStatus', p_run_status, 'plan', p_plan))
        $$;

        CREATE FUNCTION amnify_step_changed() RETURNS trigger
        LANGUAGE plpgsql AS $$
        DECLARE
            v_status text;
            v_plan jsonb;
        BEGIN
            SELECT status, plan_summary INTO v_status, v_plan FROM deployment_runs WHERE id = NEW.deployment_run_id;
            PERFORM amnify_step_event(NEW, OLD.status, v_status, v_plan);
            RETURN NULL;
        END $$;

        CREATE FUNCTION amnify_deployment_run_changed() RETURNS trigger
        LANGUAGE plpgsql AS $$
        DECLARE
            v_step pipeline_run_steps;
            v_gate text := CASE NEW.status WHEN 'awaitingPlanApproval' THEN 'plan' WHEN 'awaitingApplyApproval' THEN 'apply' END;
        BEGIN
            PERFORM amnify_emit('deploymentRun.status', NULL, NULL, NEW.id, jsonb_build_object(
                'deploymentRunId', NEW.id, 'deploymentId', NEW.deployment_id, 'pipelineRunId', NEW.pipeline_run_id,
                'operation', NEW.operation, 'status', NEW.status, 'previousStatus', CASE WHEN TG_OP = 'UPDATE' THEN OLD.status END));
            IF NEW.pipeline_run_id IS NOT NULL THEN
                SELECT * INTO v_step FROM pipeline_run_steps WHERE deployment_run_id = NEW.id;
                -- The step shows its run's status: a change of it is a change of the step.
                IF FOUND THEN
                    PERFORM amnify_step_event(v_step, v_step.status, NEW.status, NEW.plan_summary);
                END IF;
            END IF;
            IF v_gate IS NOT NULL THEN
                PERFORM amnify_emit('approval.required', NEW.pipeline_run_id,
                    CASE WHEN NEW.pipeline_run_id IS NOT NULL THEN amnify_pipeline_seq(NEW.pipeline_run_id) END, NEW.id, jsonb_build_object(
                    'deploymentRunId', NEW.id, 'deploymentId', NEW.deployment_id, 'pipelineRunId', NEW.pipeline_run_id,
                    'position', v_step.position, 'gate', v_gate, 'plan', NEW.plan_summary,
                    -- Who may approve: the policy's role (the run's snapshot, M0011), less whom its distinctness rules
                    -- shut out of the apply gate: the triggerer, and those who approved the plan.
                    'approvers', jsonb_build_object('role', COALESCE(NEW.approval_policy->>'approverRole', 'approver'), 'excludedUserIds',
                        CASE WHEN v_gate = 'apply' THEN COALESCE((
                            SELECT jsonb_agg(DISTINCT x.user_id) FROM (
                                SELECT NEW.triggered_by_user_id AS user_id
                                WHERE COALESCE((NEW.approval_policy->>'distinctFromTrigger')::boolean, false)
                                UNION
                                SELECT a.user_id FROM run_approvals a
                                WHERE a.run_id = NEW.id AND a.gate = 'plan' AND a.decision = 'approved'
                                  AND COALESCE((NEW.approval_policy->>'distinctBetweenGates')::boolean, false)) x
                            WHERE x.user_id IS NOT NULL), '[]'::jsonb)
                             ELSE '[]'::jsonb END)));
            END IF;
            RETURN NULL;
        END $$;
        """;

    private const string Triggers = """
        CREATE TRIGGER pipeline_runs_created BEFORE INSERT ON pipeline_runs
            FOR EACH ROW EXECUTE FUNCTION amnify_pipeline_run_changed();
        CREATE TRIGGER pipeline_runs_changed BEFORE UPDATE OF status, current_position ON pipeline_runs
            FOR EACH ROW WHEN (OLD.status IS DISTINCT FROM NEW.status OR OLD.current_position IS DISTINCT FROM NEW.current_position)
            EXECUTE FUNCTION amnify_pipeline_run_changed();
        CREATE TRIGGER pipeline_run_steps_changed AFTER UPDATE OF status ON pipeline_run_steps
            FOR EACH ROW WHEN (OLD.status IS DISTINCT FROM NEW.status) EXECUTE FUNCTION amnify_step_changed();
        CREATE TRIGGER deployment_runs_created AFTER INSERT ON deployment_runs
            FOR EACH ROW EXECUTE FUNCTION amnify_deployment_run_changed();
        CREATE TRIGGER deployment_runs_changed AFTER UPDATE OF status ON deployment_runs
            FOR EACH ROW WHEN (OLD.status IS DISTINCT FROM NEW.status) EXECUTE FUNCTION amnify_deployment_run_changed();
        """;

    /// <summary>A pipeline run from before this migration starts its stream with where it stands (no webhooks for the past).</summary>
    private const string Backfill = """
        UPDATE pipeline_runs SET event_seq = 1;
        INSERT INTO events (id, type, pipeline_run_id, pipeline_seq, data, at)
        SELECT gen_random_uuid(), 'pipelineRun.status', r.id, 1, jsonb_build_object(
            'pipelineRunId', r.id, 'pipelineId', r.pipeline_id, 'number', r.number, 'status', r.status,
            'previousStatus', NULL, 'currentStepPosition', r.current_position), COALESCE(r.finished_at, r.started_at, r.created_at)
        FROM pipeline_runs r;
        """;
}
