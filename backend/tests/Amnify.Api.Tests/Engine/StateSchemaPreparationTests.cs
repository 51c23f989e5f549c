using Amnify.Api.Engine;
using Dapper;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;

namespace Amnify.Api.Tests.Engine;

/// <summary>
/// A deployment's Terraform state schema is prepared once: later runs find it ready in the catalog and run no DDL and
/// no GRANT (both rewrite catalog rows every backend must reload). A schema from before the state role still gets its grants.
/// </summary>
public sealed class StateSchemaPreparationTests(ApiFactory database) : IClassFixture<ApiFactory>
{
    private StateRole StateRole => database.Services.GetRequiredService<StateRole>();

    /// <summary>The catalog rows DDL or GRANT would rewrite, by their row versions: the schema's and its table's.</summary>
    private async Task<(string Schema, string Table)> CatalogVersions(Guid deploymentId)
    {
        await using var connection = await database.OpenDatabase();
        var schema = StateRole.SchemaName(deploymentId);
        return await connection.QuerySingleAsync<(string, string)>($"""
            SELECT (SELECT xmin::text FROM pg_namespace WHERE nspname = '{schema}'),
                   (SELECT xmin::text FROM pg_class WHERE oid = '{schema}.states'::regclass)
            """);
    }

    private async Task<bool> StateRoleMayUse(Guid deploymentId)
    {
        await using var connection = await database.OpenDatabase();
        var schema = StateRole.SchemaName(deploymentId);
        return await connection.ExecuteScalarAsync<bool>($"""
            SELECT has_schema_privilege('{ApiFactory.StateRole}', '{schema}', 'USAGE')
               AND has_table_privilege('{ApiFactory.StateRole}', '{schema}.states', 'SELECT, INSERT, UPDATE, DELETE')
            """);
    }

    [Fact]
    public async Task A_prepared_schema_is_not_prepared_again()
    {
        var deploymentId = Guid.NewGuid();
        await StateRole.PrepareSchema(deploymentId, CancellationToken.None);
        var prepared = await CatalogVersions(deploymentId);

        await StateRole.PrepareSchema(deploymentId, CancellationToken.None);

        (await CatalogVersions(deploymentId)).Should().Be(prepared, "a ready schema needs no CREATE and no GRANT");
        (await StateRoleMayUse(deploymentId)).Should().BeTrue();
    }

    [Fact]
    public async Task A_schema_made_before_the_state_role_gets_its_grants()
    {
        var stateRole = StateRole; // the host starts: migrations and the state role's sequence are in place
        var deploymentId = Guid.NewGuid();
        var schema = StateRole.SchemaName(deploymentId);
        // As the app role made them before Terraform had a role of its own: the same objects, no grants.
        await using (var app = new NpgsqlConnection(database.ConnectionString))
            await app.ExecuteAsync($"""
                CREATE SCHEMA {schema};
                CREATE TABLE {schema}.states (id bigint NOT NULL DEFAULT nextval('public.global_states_id_seq') PRIMARY KEY, name text UNIQUE, data text);
                CREATE UNIQUE INDEX states_by_name ON {schema}.states (name);
                """);
        (await StateRoleMayUse(deploymentId)).Should().BeFalse();

        await stateRole.PrepareSchema(deploymentId, CancellationToken.None);

        (await StateRoleMayUse(deploymentId)).Should().BeTrue();
    }
}
