using FluentMigrator;

namespace Amnify.Api.Database.Migrations;

/// <summary>
/// Lists sorted by name now sort by <c>lower(name COLLATE "C")</c> (see Http/NameOrder): the two indexes
/// that served the old <c>lower(name)</c> order are rebuilt on the new key.
/// </summary>
[Migration(9, "Index the name order of lists by its byte-wise key")]
public sealed class M0009_NameOrderAndSignInThrottle : ForwardOnlyMigration
{
    public override void Up() => Execute.Sql("""
        DROP INDEX templates_provider_name;
        CREATE INDEX templates_provider_name ON templates (provider, lower(name COLLATE "C"), (id COLLATE "C"));
        DROP INDEX deployments_provider_name;
        CREATE INDEX deployments_provider_name ON deployments (provider, lower(name COLLATE "C"), id);
        """);
}
