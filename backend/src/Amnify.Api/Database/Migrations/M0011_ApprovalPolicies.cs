using FluentMigrator;

namespace Amnify.Api.Database.Migrations;

/// <summary>
/// Approval policies: one per cloud environment (admins), a stricter one per deployment (admins only), the policy in force
/// snapshotted on each run; every approval and rejection kept as a row bound to the plan's SHA-256; runs, pipeline runs
/// and steps may end rejected or expired.
/// </summary>
[Migration(11, "Approval policies, approval decisions, rejected and expired runs")]
public sealed class M0011_ApprovalPolicies : ForwardOnlyMigration
{
    public override void Up()
    {
        Execute.Sql(Policies);
        Execute.Sql(Decisions);
        Execute.Sql(Statuses);
    }

    private const string Policies = """
        ALTER TABLE cloud_environments ADD COLUMN approval_policy jsonb NOT NULL DEFAULT
            '{"planApprovals": 1, "applyApprovals": 1, "distinctFromTrigger": false, "distinctBetweenGates": false,
              "approverRole": "approver", "extraApprovalOnDestroy": false, "approvalTimeoutHours": null}';
        -- Only what a deployment tightens; a field left out follows its environment.
        ALTER TABLE deployments ADD COLUMN approval_policy jsonb NOT NULL DEFAULT '{}';
        -- The four-eyes flag folds into the deployment's policy (the column stays for instances not yet upgraded).
        UPDATE deployments SET approval_policy = '{"distinctFromTrigger": true, "distinctBetweenGates": true}'
        WHERE require_distinct_approver;
        -- Earlier snapshots held only the four-eyes flag: they get the whole policy it meant.
        UPDATE deployment_runs SET approval_policy = jsonb_build_object(
            'planApprovals', 1, 'applyApprovals', 1,
            'distinctFromTrigger', COALESCE((approval_policy->>'requireDistinctApprover')::boolean, true),
            'distinctBetweenGates', COALESCE((approval_policy->>'requireDistinctApprover')::boolean, true),
            'approverRole', 'approver', 'extraApprovalOnDestroy', false, 'approvalTimeoutHours', NULL)
        WHERE approval_policy ? 'requireDistinctApprover';
        -- A run written without one (by a harness or an import) still gets the stricter rule, never the looser.
        ALTER TABLE deployment_runs ALTER COLUMN approval_policy SET DEFAULT
            '{"planApprovals": 1, "applyApprovals": 1, "distinctFromTrigger": true, "distinctBetweenGates": true,
              "approverRole": "approver", "extraApprovalOnDestroy": false, "approvalTimeoutHours": null}';
        """;

    private const string Decisions = """
        CREATE TABLE run_approvals (
            id          uuid PRIMARY KEY,
            run_id      uuid NOT NULL REFERENCES deployment_runs (id) ON DELETE CASCADE,
            gate        text NOT NULL CHECK (gate IN ('plan', 'apply')),
            decision    text NOT NULL CHECK (decision IN ('approved', 'rejected')),
            user_id     uuid REFERENCES users (id),
            user_name   text NOT NULL,
            -- Whether the approver was an admin then: a destroying plan's extra approval must come from one.
            by_admin    boolean NOT NULL,
            comment     text,
            plan_sha256 text NOT NULL,
            at          timestamptz NOT NULL DEFAULT now()
        );
        CREATE INDEX run_approvals_run ON run_approvals (run_id, at);
        -- One approval per person per gate of a plan, however many times they press the button at once.
        CREATE UNIQUE INDEX run_approvals_once ON run_approvals (run_id, gate, plan_sha256, user_id) WHERE decision = 'approved';

        -- The approvals given so far become decisions, so each run's history and the distinctness rules see them.
        INSERT INTO run_approvals (id, run_id, gate, decision, user_id, user_name, by_admin, plan_sha256, at)
        SELECT gen_random_uuid(), id, 'plan', 'approved', plan_approved_by_user_id, plan_approved_by, false, plan_sha256, plan_approved_at
        FROM deployment_runs WHERE plan_approved_by IS NOT NULL AND plan_sha256 IS NOT NULL AND plan_approved_at IS NOT NULL;
        INSERT INTO run_approvals (id, run_id, gate, decision, user_id, user_name, by_admin, plan_sha256, at)
        SELECT gen_random_uuid(), id, 'apply', 'approved', apply_approved_by_user_id, apply_approved_by, false, plan_sha256, apply_approved_at
        FROM deployment_runs WHERE apply_approved_by IS NOT NULL AND plan_sha256 IS NOT NULL AND apply_approved_at IS NOT NULL;
        """;

    private const string Statuses = """
        ALTER TABLE deployment_runs DROP CONSTRAINT IF EXISTS deployment_runs_status_check;
        ALTER TABLE deployment_runs ADD CONSTRAINT deployment_runs_status_check CHECK (status IN ('queued', 'pending',
            'initializing', 'planning', 'awaitingPlanApproval', 'awaitingApplyApproval', 'applying', 'destroying',
            'completed', 'destroyed', 'noChanges', 'failed', 'cancelled', 'rejected', 'expired'));
        ALTER TABLE pipeline_runs DROP CONSTRAINT IF EXISTS pipeline_runs_status_check;
        ALTER TABLE pipeline_runs ADD CONSTRAINT pipeline_runs_status_check CHECK (status IN ('queued', 'running',
            'awaitingApproval', 'completed', 'failed', 'cancelled', 'rejected', 'expired'));
        ALTER TABLE pipeline_run_steps DROP CONSTRAINT IF EXISTS pipeline_run_steps_status_check;
        ALTER TABLE pipeline_run_steps ADD CONSTRAINT pipeline_run_steps_status_check CHECK (status IN ('pending', 'running',
            'completed', 'skipped', 'failed', 'cancelled', 'rejected', 'expired', 'notRun'));

        -- Spelled as RunStatuses.Sql.Terminal now is.
        DROP INDEX deployment_runs_unfinished;
        CREATE INDEX deployment_runs_unfinished ON deployment_runs (deployment_id, queued_at DESC)
            WHERE status NOT IN ('completed', 'destroyed', 'noChanges', 'failed', 'cancelled', 'rejected', 'expired');
        -- The gates waiting, for the approvers' inbox and the expiry sweep.
        CREATE INDEX deployment_runs_awaiting ON deployment_runs (COALESCE(plan_approved_at, planned_at), id)
            WHERE status IN ('awaitingPlanApproval', 'awaitingApplyApproval');
        """;
}
