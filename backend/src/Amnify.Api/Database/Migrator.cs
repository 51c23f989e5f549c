using FluentMigrator.Runner;
using Npgsql;

namespace Amnify.Api.Database;

public static class Migrator
{
    // Any constant works; it only has to be the same for every instance of the API and worker.
    private const long MigrationLockKey = 0x616D6E696679; // "amnify"

    /// <summary>Brings the schema up to date before serving, under an advisory lock so instances never race.</summary>
    public static async Task MigrateDatabaseAsync(this WebApplication app)
    {
        var dataSource = app.Services.GetRequiredService<NpgsqlDataSource>();
        // NpgsqlDataSource.ConnectionString has no password (Npgsql strips it): FluentMigrator opens its own
        // connections, so it needs the string as configured.
        var connectionString = app.Configuration.GetConnectionString("Amnify")!;
        var stopping = app.Lifetime.ApplicationStopping;
        await using var lockConnection = await dataSource.OpenConnectionAsync(stopping);
        await using (var take = new NpgsqlCommand($"SELECT pg_advisory_lock({MigrationLockKey})", lockConnection))
            await take.ExecuteNonQueryAsync(stopping);
        try
        {
            using var services = new ServiceCollection()
                .AddFluentMigratorCore()
                .ConfigureRunner(runner => runner
                    .AddPostgres()
                    .WithGlobalConnectionString(connectionString)
                    .ScanIn(typeof(Migrator).Assembly).For.Migrations())
                .BuildServiceProvider();
            services.GetRequiredService<IMigrationRunner>().MigrateUp();
        }
        finally
        {
            await using var release = new NpgsqlCommand($"SELECT pg_advisory_unlock({MigrationLockKey})", lockConnection);
            // Not cancelled: a lock left held would stall every other instance's start.
            await release.ExecuteNonQueryAsync(CancellationToken.None);
        }
    }
}
