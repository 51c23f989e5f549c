using Amnify.Api.Engine;
using Dapper;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Npgsql;

namespace Amnify.Api.Tests.Features.DeploymentRuns;

/// <summary>
/// Without Engine:StateConnectionString the engine manages Terraform's state role itself, when the app role
/// may create roles: `&lt;database&gt;_tfstate`, its password derived from the secrets key.
/// </summary>
public sealed class ManagedStateRoleTests : IAsyncLifetime
{
    private const string Creator = "amnify_test_creator";
    private const string CreatorPassword = "amnify-test-creator-password";
    private readonly string database = $"amnify_test_{Guid.NewGuid():N}";
    private readonly ApiFactory settings = new(); // only for its secrets key and its CA; its own database stays unused

    private string ConnectionString => new NpgsqlConnectionStringBuilder(settings.ConnectionString)
    {
        Database = database, Username = Creator, Password = CreatorPassword,
    }.ToString();

    public async Task InitializeAsync()
    {
        await settings.InitializeAsync();
        await using var cluster = new NpgsqlConnection(ApiFactory.ClusterConnectionString);
        await cluster.ExecuteAsync($"""
            DO $$
            BEGIN
                CREATE ROLE {Creator} LOGIN NOSUPERUSER NOCREATEDB CREATEROLE PASSWORD '{CreatorPassword}';
            EXCEPTION WHEN duplicate_object OR unique_violation THEN NULL;
            END $$;
            """);
        await cluster.ExecuteAsync($"CREATE DATABASE {database} OWNER {Creator}");
    }

    public async Task DisposeAsync()
    {
        await settings.DisposeAsync();
        NpgsqlConnection.ClearAllPools();
        await using var cluster = new NpgsqlConnection(ApiFactory.ClusterConnectionString);
        await cluster.ExecuteAsync($"DROP DATABASE IF EXISTS {database} WITH (FORCE)");
        await cluster.ExecuteAsync($"DROP ROLE IF EXISTS \"{StateRole.RoleName(database)}\"");
    }

    private sealed class Host(ManagedStateRoleTests test) : WebApplicationFactory<Program>
    {
        protected override void ConfigureWebHost(IWebHostBuilder builder)
        {
            builder.UseEnvironment("Testing");
            builder.UseSetting("ConnectionStrings:Amnify", test.ConnectionString);
            builder.UseSetting("Secrets:Key", test.settings.SecretKey);
            builder.UseSetting("Templates:Source", Path.Combine(ApiFactory.RepositoryRoot, "backend", "examples"));
            builder.UseSetting("AMNIFY_BOOTSTRAP_ADMIN_TOKEN", ApiFactory.AdminToken);
        }

        protected override void ConfigureClient(HttpClient client) =>
            client.DefaultRequestHeaders.Authorization = new("Bearer", ApiFactory.AdminToken);
    }

    [Fact]
    public async Task The_engine_creates_the_state_role_and_runs_terraform_as_it()
    {
        await using var host = new Host(this);
        var client = host.CreateClient();
        await client.SyncExamples();
        var deployment = await client.Deployment();

        await client.RunThrough(deployment.Id);

        var role = StateRole.RoleName(database);
        await using var asState = new NpgsqlConnection(new NpgsqlConnectionStringBuilder(ConnectionString)
        {
            Username = role, Password = StateRole.DerivePassword(settings.SecretKey, database), Pooling = false,
        }.ToString());
        await asState.OpenAsync();
        (await asState.ExecuteScalarAsync<long>($"SELECT count(*) FROM {StateRole.SchemaName(deployment.Id)}.states")).Should().Be(1);
        (await FluentActions.Awaiting(() => asState.ExecuteAsync("SELECT count(*) FROM users")).Should().ThrowAsync<PostgresException>())
            .Which.SqlState.Should().Be(PostgresErrorCodes.InsufficientPrivilege);
        await using var cluster = new NpgsqlConnection(new NpgsqlConnectionStringBuilder(ApiFactory.ClusterConnectionString) { Database = database }.ToString());
        (await cluster.ExecuteScalarAsync<bool>("SELECT rolsuper OR rolcreaterole FROM pg_roles WHERE rolname = @role", new { role }))
            .Should().BeFalse("the state role it creates has no rights beyond its schemas");
    }
}
