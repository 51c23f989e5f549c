using FluentMigrator;

namespace Amnify.Api.Database.Migrations;

/// <summary>
/// The structured plan an approver reviews (resource and output changes, attribute by attribute), kept with
/// the run at plan time from the same <c>terraform show -json</c> as the summary. Sensitive values are
/// already masked when it is written: this column never holds one in clear.
/// </summary>
[Migration(13, "Structured plan on deployment runs")]
public sealed class M0013_StructuredPlan : ForwardOnlyMigration
{
    public override void Up() => Execute.Sql("""
        ALTER TABLE deployment_runs ADD COLUMN plan_json jsonb;
        """);
}
