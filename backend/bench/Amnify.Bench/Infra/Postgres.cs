using System.Diagnostics;
using Npgsql;

namespace Amnify.Bench.Infra;

/// <summary>
/// The bench's own PostgreSQL cluster, through backend/scripts/pg.sh with its own data folder and port,
/// so it never touches the cluster of `make run` or `make test`.
/// </summary>
public sealed class Postgres(string repo, string dataDir, int port)
{
    public int Port => port;

    public string ConnectionString(string database) =>
        $"Host=127.0.0.1;Port={port};Username=postgres;Database={database};Pooling=true;Maximum Pool Size=100";

    /// <summary>
    /// What the API (and the baseline it is compared with) connect with, as in production: pg.sh's
    /// password-protected, non-superuser `amnify` role over verified TLS. Read after <see cref="Start"/> made it.
    /// </summary>
    public string AppConnectionString(string database) => RoleConnectionString("amnify", database);

    /// <summary>Terraform's state role (Engine__StateConnectionString), also made by pg.sh.</summary>
    public string StateConnectionString(string database) => RoleConnectionString("amnify_tfstate", database);

    private string RoleConnectionString(string role, string database) =>
        $"Host=127.0.0.1;Port={port};Username={role};Password={File.ReadAllText($"{dataDir}-{role}.password").Trim()};Database={database};" +
        $"SSL Mode=VerifyFull;Root Certificate={dataDir}-tls/ca.crt;Pooling=true;Maximum Pool Size=100";

    /// <summary>The libpq URL Terraform's pg backend takes.</summary>
    public string Url(string database) => $"postgres://postgres@127.0.0.1:{port}/{database}?sslmode=disable";

    public Task Start() => Script("start");
    public Task Stop() => Script("stop");
    public Task DropDatabase(string name) => Script("dropdb", name);
    public Task CreateDatabase(string name) => Script("createdb", name);

    /// <summary>Settings for bulk loading on the bench's cluster only (fewer checkpoints while seeding).</summary>
    public async Task TuneForBulkLoad()
    {
        await using var connection = new NpgsqlConnection(ConnectionString("postgres"));
        await connection.OpenAsync();
        foreach (var sql in new[] { "ALTER SYSTEM SET max_wal_size = '8GB'", "ALTER SYSTEM SET checkpoint_timeout = '30min'", "SELECT pg_reload_conf()" })
        {
            await using var command = new NpgsqlCommand(sql, connection);
            await command.ExecuteNonQueryAsync();
        }
    }

    private async Task Script(params string[] args)
    {
        var start = new ProcessStartInfo(Path.Combine(repo, "backend/scripts/pg.sh"))
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var a in args) start.ArgumentList.Add(a);
        start.Environment["AMNIFY_PGDATA"] = dataDir;
        start.Environment["AMNIFY_PGPORT"] = port.ToString();
        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        if (process.ExitCode != 0)
            throw new InvalidOperationException($"pg.sh {string.Join(' ', args)} exited with {process.ExitCode}: {await stdout}{await stderr}");
    }
}
