using FluentMigrator;

namespace Amnify.Api.Database.Migrations;

/// <summary>
/// Four-eyes that holds: each run keeps the approval rule in force when it was triggered, and who triggered and
/// approved it by user id, so neither an edit of the deployment mid-run nor two look-alike names can bend the rule.
/// And a token made with a token remembers its maker, so revoking a token revokes what it made.
/// </summary>
[Migration(8, "Approval policy snapshot and approver user ids on deployment runs; token lineage")]
public sealed class M0008_ApprovalSnapshot : ForwardOnlyMigration
{
    public override void Up()
    {
        Execute.Sql(Columns);
        Execute.Sql(Backfill);
    }

    private const string Columns = """
        -- jsonb so that a fuller approval policy (per cloud environment) grows into the same snapshot. A run written
        -- without one (by a harness or an import) gets the stricter rule, never the looser.
        ALTER TABLE deployment_runs
            ADD COLUMN approval_policy jsonb NOT NULL DEFAULT '{"requireDistinctApprover": true}',
            ADD COLUMN triggered_by_user_id uuid REFERENCES users (id),
            ADD COLUMN plan_approved_by_user_id uuid REFERENCES users (id),
            ADD COLUMN apply_approved_by_user_id uuid REFERENCES users (id);
        ALTER TABLE pipeline_runs ADD COLUMN triggered_by_user_id uuid REFERENCES users (id);

        ALTER TABLE api_tokens ADD COLUMN created_by_token_id uuid REFERENCES api_tokens (id);
        CREATE INDEX api_tokens_created_by ON api_tokens (created_by_token_id) WHERE created_by_token_id IS NOT NULL;
        """;

    /// <summary>Existing runs get their snapshot and user ids (internal: a test runs it again on real runs).</summary>
    internal const string Backfill = """
        -- Runs so far read the rule live from their deployment: they keep what it says now.
        UPDATE deployment_runs r SET approval_policy = jsonb_build_object('requireDistinctApprover', d.require_distinct_approver)
        FROM deployments d WHERE d.id = r.deployment_id;

        -- Names so far are the user's email, or "<email> (CI token '<name>')" for a CI token, which counts as its
        -- owner. Emails are unique and cannot be changed, so the match is exact.
        UPDATE deployment_runs r SET triggered_by_user_id = u.id FROM users u
        WHERE lower(u.email) = lower(split_part(r.triggered_by, ' (CI token ''', 1));
        UPDATE deployment_runs r SET plan_approved_by_user_id = u.id FROM users u
        WHERE lower(u.email) = lower(r.plan_approved_by);
        UPDATE deployment_runs r SET apply_approved_by_user_id = u.id FROM users u
        WHERE lower(u.email) = lower(r.apply_approved_by);
        UPDATE pipeline_runs r SET triggered_by_user_id = u.id FROM users u
        WHERE lower(u.email) = lower(split_part(r.triggered_by, ' (CI token ''', 1));
        """;
}
