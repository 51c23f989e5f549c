using System.Diagnostics;
using Npgsql;

namespace Amnify.Harness.Infra;

/// <summary>
/// A harness's own PostgreSQL cluster, through backend/scripts/pg.sh with its own data folder and port
/// (never the cluster of `make run` or `make test`); restarts go straight to pg_ctl on the same folder.
/// </summary>
/// <param name="ownPool">Pool and timeout settings of the harness's own (superuser) connections.</param>
/// <param name="appPool">Those of the API's and workers' connections (and the baseline app's).</param>
public sealed class Postgres(string repo, string dataDir, int port,
    string ownPool = "Maximum Pool Size=20;Timeout=5;Command Timeout=30",
    string appPool = "Maximum Pool Size=100;Timeout=5;Command Timeout=30")
{
    public int Port => port;
    public string DataDir => dataDir;
    /// <summary>pg.sh starts the server with this log (pg_ctl -l): what auto_explain writes lands here.</summary>
    public string ServerLog => Path.Combine(dataDir, "server.log");

    public string ConnectionString(string database) =>
        $"Host=127.0.0.1;Port={port};Username=postgres;Database={database};Pooling=true;{ownPool}";

    /// <summary>
    /// What the API and workers connect with, as in production: pg.sh's password-protected, non-superuser
    /// `amnify` role over TLS with the server's certificate verified. The harness itself reads as the superuser.
    /// </summary>
    public string AppConnectionString(string database) => RoleConnectionString(AppRole, database);

    /// <summary>Terraform's state role (Engine__StateConnectionString), also made by pg.sh.</summary>
    public string StateConnectionString(string database) => RoleConnectionString("amnify_tfstate", database);

    private string RoleConnectionString(string role, string database) =>
        $"Host=127.0.0.1;Port={port};Username={role};Password={File.ReadAllText($"{dataDir}-{role}.password").Trim()};Database={database};" +
        $"SSL Mode=VerifyFull;Root Certificate={dataDir}-tls/ca.crt;Pooling=true;{appPool}";

    /// <summary>The role the API and workers connect as (see <see cref="AppConnectionString"/>).</summary>
    public const string AppRole = "amnify";

    /// <summary>The libpq URL Terraform's pg backend takes (the bench's bare Terraform baseline).</summary>
    public string Url(string database) => $"postgres://postgres@127.0.0.1:{port}/{database}?sslmode=disable";

    public Task Start() => Script("start");
    public Task Stop() => Script("stop");
    public Task DropDatabase(string name) => Script("dropdb", name);
    public Task CreateDatabase(string name) => Script("createdb", name);

    /// <summary>Settings for bulk loading on this cluster only (fewer checkpoints while the bench seeds).</summary>
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

    /// <summary>
    /// pg_stat_statements on this cluster, nested statements (trigger bodies) included, so the engine benchmark can
    /// count what each run executes. Loaded only at server start: a restart when it is not loaded yet.
    /// </summary>
    public async Task EnableStatementStats()
    {
        if (!(await Scalar("SHOW shared_preload_libraries")).Contains("pg_stat_statements"))
        {
            await Scalar("ALTER SYSTEM SET shared_preload_libraries = 'pg_stat_statements'");
            NpgsqlConnection.ClearAllPools();
            await Stop();
            await Start();
        }
        // Its settings exist only once the library is loaded.
        await Scalar("ALTER SYSTEM SET pg_stat_statements.track = 'all'");
        await Scalar("SELECT pg_reload_conf()");
    }

    private async Task<string> Scalar(string sql)
    {
        await using var connection = new NpgsqlConnection(ConnectionString("postgres"));
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        return (await command.ExecuteScalarAsync())?.ToString() ?? "";
    }

    /// <summary><c>pg_ctl restart -m immediate</c>: every backend dies at once, as in a crash; recovery replays the WAL.</summary>
    public Task RestartImmediate() => PgCtl("restart", "-m", "immediate", "-w", "-t", "60", "-l", ServerLog);

    private static string BinDir()
    {
        foreach (var candidate in Directory.Exists("/usr/lib/postgresql")
                     ? Directory.GetDirectories("/usr/lib/postgresql").Select(d => Path.Combine(d, "bin")).Append("/usr/local/bin").Append("/usr/bin")
                     : ["/usr/local/bin", "/usr/bin"])
            if (File.Exists(Path.Combine(candidate, "pg_ctl"))) return candidate;
        throw new InvalidOperationException("pg_ctl not found: install postgresql-15");
    }

    private Task PgCtl(params string[] args)
    {
        var pgCtl = Path.Combine(BinDir(), "pg_ctl");
        string[] all = [pgCtl, "-D", dataDir, .. args];
        return Environment.UserName == "root" || Environment.GetEnvironmentVariable("USER") == "root"
            ? Run("runuser", ["-u", "postgres", "--", .. all])
            : Run(all[0], all[1..]);
    }

    private Task Script(params string[] args) => Run(Path.Combine(repo, "backend/scripts/pg.sh"), args);

    private async Task Run(string file, string[] args)
    {
        var start = new ProcessStartInfo(file)
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
            throw new InvalidOperationException($"{Path.GetFileName(file)} {string.Join(' ', args)} exited with {process.ExitCode}: {await stdout}{await stderr}");
    }
}
