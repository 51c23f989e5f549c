using FluentMigrator;

namespace Amnify.Api.Database.Migrations;

/// <summary>
/// Who the apply gate shuts out — the triggerer and the current plan's approvers, as the run's policy snapshot asks —
/// was written twice: in the approve-apply transition's WHERE and in M0012's trigger that tells webhooks and streams who
/// may approve (which read missing flags as the looser value and counted approvals of an earlier plan). One function now
/// serves both, so the list an approver is shown is exactly the list the transition enforces.
/// </summary>
[Migration(21, "One definition of who may not approve a run's apply")]
public sealed class M0021_ApplyGateExclusions : ForwardOnlyMigration
{
    public override void Up() => Execute.Sql("""
        -- The triggerer may be null (no user behind the run): kept, so the transition's IS NOT DISTINCT FROM treats it as before.
        CREATE FUNCTION amnify_apply_gate_excluded(r deployment_runs) RETURNS uuid[]
        LANGUAGE sql STABLE AS $$
            SELECT ARRAY(
                SELECT r.triggered_by_user_id WHERE COALESCE((r.approval_policy->>'distinctFromTrigger')::boolean, true)
                UNION
                SELECT a.user_id FROM run_approvals a
                WHERE a.run_id = r.id AND a.gate = 'plan' AND a.decision = 'approved' AND a.plan_sha256 = r.plan_sha256
                  AND COALESCE((r.approval_policy->>'distinctBetweenGates')::boolean, true))
        $$;

        CREATE OR REPLACE FUNCTION amnify_deployment_run_changed() RETURNS trigger
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
                    'approvers', jsonb_build_object('role', COALESCE(NEW.approval_policy->>'approverRole', 'admin'), 'excludedUserIds',
                        CASE WHEN v_gate = 'apply'
                             THEN COALESCE((SELECT jsonb_agg(x) FROM unnest(amnify_apply_gate_excluded(NEW)) x WHERE x IS NOT NULL), '[]'::jsonb)
                             ELSE '[]'::jsonb END)));
            END IF;
            RETURN NULL;
        END $$;
        """);
}
