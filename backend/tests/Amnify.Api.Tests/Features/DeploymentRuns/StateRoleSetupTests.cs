using Amnify.Api.Engine;
using Dapper;
using Microsoft.AspNetCore.Mvc.Testing;
using Npgsql;

namespace Amnify.Api.Tests.Features.DeploymentRuns;

/// <summary>Which database role Terraform's state uses, and what start-up says when it cannot have one.</summary>
public sealed class StateRoleSetupTests : IAsyncLifetime
{
    private readonly ApiFactory database = new();
    private readonly string prefix = $"amnify_test_{Guid.NewGuid():N}"[..24];

    public Task InitializeAsync() => database.InitializeAsync();

    public async Task DisposeAsync()
    {
        await database.DisposeAsync();
        NpgsqlConnection.ClearAllPools();
        await using var cluster = new NpgsqlConnection(ApiFactory.ClusterConnectionString);
        await cluster.ExecuteAsync($"DROP DATABASE IF EXISTS {OwnDatabase} WITH (FORCE)");
        foreach (var role in new[] { StateRole.RoleName(DatabaseName), StateRole.RoleName(OwnDatabase), $"{prefix}_state", $"{prefix}_app" })
            await cluster.ExecuteAsync($"DROP ROLE IF EXISTS \"{role}\"");
    }

    private string DatabaseName => new NpgsqlConnectionStringBuilder(database.ConnectionString).Database!;

    /// <summary>A database the app role of the CREATEROLE test owns from its creation, as a managed service hands it out.</summary>
    private string OwnDatabase => $"{prefix}_db";

    private WebApplicationFactory<Program> Host(string appConnection, string? stateConnection) => database.AnotherHost(b =>
    {
        b.UseSetting("ConnectionStrings:Amnify", appConnection);
        // Empty means "not configured" even when the test process's environment names one.
        b.UseSetting("Engine:StateConnectionString", stateConnection ?? "");
    });

    private async Task Cluster(string sql)
    {
        await using var cluster = new NpgsqlConnection(ApiFactory.ClusterConnectionString);
        await cluster.ExecuteAsync(sql);
    }

    [Fact]
    public async Task A_configured_state_role_keeps_the_state_and_is_granted_only_its_schema()
    {
        var role = $"{prefix}_state";
        await Cluster($"CREATE ROLE {role} LOGIN PASSWORD 'configured-state-password'");
        var state = new NpgsqlConnectionStringBuilder(database.ConnectionString) { Username = role, Password = "configured-state-password" }.ConnectionString;
        await using var host = Host(database.ConnectionString, state);
        var client = host.CreateClient();
        await client.SyncExamples();
        var deployment = await client.Deployment("aws", "network");

        var run = await client.RunThrough(deployment.Id);

        (await client.GetStringAsync($"/api/v1/deployment-runs/{run.Id}/log")).Should().NotContain("configured-state-password");
        await using var app = await database.OpenDatabase();
        var schema = StateRole.SchemaName(deployment.Id);
        (await app.ExecuteScalarAsync<long>($"SELECT count(*) FROM {schema}.states")).Should().Be(1);
        (await app.ExecuteScalarAsync<bool>($"SELECT has_table_privilege('{role}', '{schema}.states', 'INSERT')")).Should().BeTrue();
        (await app.ExecuteScalarAsync<bool>($"SELECT has_table_privilege('{role}', 'users', 'SELECT')")).Should().BeFalse();
        (await app.ExecuteScalarAsync<bool>("SELECT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = @Name)", new { Name = StateRole.RoleName(DatabaseName) }))
            .Should().BeFalse("no role is made when the admins gave one");
    }

    [Fact]
    public async Task An_app_role_without_createrole_stops_start_up_naming_both_ways_out_and_with_it_the_engine_manages_the_role()
    {
        var appRole = $"{prefix}_app";
        await Cluster($"CREATE ROLE {appRole} LOGIN PASSWORD '{ApiFactory.AppPassword}'");
        await Cluster($"CREATE DATABASE {OwnDatabase} OWNER {appRole}");
        var app = new NpgsqlConnectionStringBuilder(database.ConnectionString) { Username = appRole, Database = OwnDatabase }.ConnectionString;

        await using (var refused = Host(app, null))
            FluentActions.Invoking(() => refused.CreateClient()).Should().Throw<InvalidOperationException>()
                .WithMessage("*CREATEROLE*Engine__StateConnectionString*");

        await Cluster($"ALTER ROLE {appRole} CREATEROLE");
        await using var host = Host(app, null);
        var client = host.CreateClient();
        await client.SyncExamples();
        var deployment = await client.Deployment("aws", "network");

        await client.RunThrough(deployment.Id);

        await using var connection = await database.OpenDatabase();
        (await connection.ExecuteScalarAsync<bool>("SELECT rolcanlogin AND NOT rolsuper AND NOT rolcreaterole FROM pg_roles WHERE rolname = @Name",
            new { Name = StateRole.RoleName(OwnDatabase) })).Should().BeTrue("the engine made a plain login role");
    }
}
