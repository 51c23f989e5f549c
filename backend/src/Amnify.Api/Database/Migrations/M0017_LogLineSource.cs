using FluentMigrator;

namespace Amnify.Api.Database.Migrations;

/// <summary>
/// Who wrote each log line: the engine itself (the commands it starts, the attempt, the plan's result) or the Terraform
/// process whose output it pumps. Set when the line is written, so readers need not guess from the wording. Null on
/// status events and on lines written before this migration.
/// </summary>
[Migration(17, "Mark each log line with who wrote it: the engine or Terraform")]
public sealed class M0017_LogLineSource : ForwardOnlyMigration
{
    public override void Up() => Execute.Sql("""
        ALTER TABLE run_events ADD COLUMN source text CHECK (source IN ('engine', 'terraform'));
        """);
}
