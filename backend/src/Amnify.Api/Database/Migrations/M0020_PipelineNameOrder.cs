using FluentMigrator;

namespace Amnify.Api.Database.Migrations;

/// <summary>
/// The pipeline list sorts by <c>lower(name COLLATE "C")</c>, id (Http/NameOrder) but no index had that key, so every
/// page sorted all of a provider's pipelines (the seeded list read 3 × slower than the empty one). One index serves
/// the list of one provider; the other the list of all, and the prepared statement's generic plan, where the provider
/// is a parameter that may be null: it walks the name order and stops at the page's end.
/// </summary>
[Migration(20, "Index the pipeline list's name order")]
public sealed class M0020_PipelineNameOrder : ForwardOnlyMigration
{
    public override void Up() => Execute.Sql("""
        CREATE INDEX pipelines_provider_name ON pipelines (provider, lower(name COLLATE "C"), id);
        CREATE INDEX pipelines_name_order ON pipelines (lower(name COLLATE "C"), id);
        """);
}
