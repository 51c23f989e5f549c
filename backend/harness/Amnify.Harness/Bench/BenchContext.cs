using System.Security.Cryptography;
using Amnify.Harness.Infra;
using Npgsql;

namespace Amnify.Harness.Bench;

/// <summary>Everything the benchmarks share: paths, the bench's PostgreSQL and database, the processes it started.</summary>
public sealed class BenchContext : IAsyncDisposable
{
    // AMNIFY_BENCH_PORT moves every port the bench uses (PostgreSQL at it, processes above it), so two
    // checkouts can bench side by side; the Makefile passes the same value to pg.sh.
    public static readonly int PgPort = int.TryParse(Environment.GetEnvironmentVariable("AMNIFY_BENCH_PORT"), out var p) ? p : 5477;
    public static readonly int ApiPort = PgPort + 2;
    public static readonly int WorkerPort = PgPort + 3;
    public static readonly int BaselinePort = PgPort + 4;
    public const string Database = "amnify_bench";
    public const string AdminEmail = "bench-admin@amnify.local";

    public required string Repo { get; init; }
    public required string ApiDll { get; init; }
    public required BenchSizes Sizes { get; init; }
    public required string Stamp { get; init; }
    public required string ResultsDir { get; init; }
    public required string LogsDir { get; init; }

    public string Token { get; } = "amn_bench_" + Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(24));
    public string SecretsKey { get; } = Convert.ToBase64String(RandomNumberGenerator.GetBytes(32));
    public string AdminPassword { get; } = "bench-" + Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(9));
    public string ApiUrl => $"http://127.0.0.1:{ApiPort}";
    public string BaselineUrl => $"http://127.0.0.1:{BaselinePort}";

    private Postgres? pg;
    // Larger pools than chaos and no connect/command timeouts: the seeding and the load runs need them.
    public Postgres Pg => pg ??= new Postgres(Repo, Path.Combine(Repo, ".data/pg-bench"), PgPort,
        ownPool: "Maximum Pool Size=100", appPool: "Maximum Pool Size=100");
    public string ConnectionString => Pg.ConnectionString(Database);

    private NpgsqlDataSource? db;
    /// <summary>The bench's own connections, for reading timings and seeding.</summary>
    public NpgsqlDataSource Db => db ??= NpgsqlDataSource.Create(ConnectionString);

    private ApiClient? api;
    public ApiClient Api => api ??= new ApiClient(ApiUrl, Token, timeout: TimeSpan.FromSeconds(60));

    /// <summary>Every process started, in start order; stopped in reverse by <see cref="DisposeAsync"/>.</summary>
    private readonly List<ChildProcess> processes = [];
    /// <summary>Peak RSS of each stopped or running process, by its label.</summary>
    public List<(string Label, ChildProcess Process)> Started { get; } = [];

    // What one benchmark leaves for the next (null when it did not run).
    public Guid? ProjectId { get; set; }
    public Guid? EnvironmentId { get; set; }
    public Guid? MainPipelineId { get; set; }
    public Guid? MainPipelineRunId { get; set; }
    public Guid? MainDeploymentId { get; set; }
    public Guid? MainDeploymentRunId { get; set; }
    public List<(string Name, LoadOperation Operation, string? Path)>? Endpoints { get; set; }
    /// <summary>The pipelines the trigger + cancel load uses, one per connection.</summary>
    public Guid[]? TriggerPipelines { get; set; }

    /// <summary>The real API: role all (API + worker) by default, `api` or `worker` otherwise.</summary>
    public async Task<ChildProcess> StartApi(string label, string? role, int port, IReadOnlyDictionary<string, string>? extra = null, string database = Database)
    {
        var env = new Dictionary<string, string>
        {
            ["ConnectionStrings__Amnify"] = Pg.AppConnectionString(database),
            ["Engine__StateConnectionString"] = Pg.StateConnectionString(database),
            ["Secrets__Key"] = SecretsKey,
            ["Templates__Source"] = Path.Combine(Repo, "backend/examples"),
            ["Templates__SyncOnStart"] = "true",
            ["AMNIFY_BOOTSTRAP_ADMIN_TOKEN"] = Token,
            ["AMNIFY_ADMIN_EMAIL"] = AdminEmail,
            ["AMNIFY_ADMIN_PASSWORD"] = AdminPassword,
            ["ASPNETCORE_ENVIRONMENT"] = "Production",
            ["Spa__Root"] = Path.Combine(Repo, "frontend/dist"),
        };
        foreach (var (key, value) in extra ?? new Dictionary<string, string>()) env[key] = value;
        List<string> args = [ApiDll, "--urls", $"http://127.0.0.1:{port}"];
        if (role is not null) args.AddRange(["--role", role]);
        // From its own folder, as `make run` starts it: the content root (appsettings.json, log levels) is the working directory.
        var process = ChildProcess.Start(label, "dotnet", args, env, Path.Combine(LogsDir, $"{label}.log"), port, Path.GetDirectoryName(ApiDll));
        Track(label, process);
        await process.WaitReady($"http://127.0.0.1:{port}/readyz", TimeSpan.FromSeconds(90));
        return process;
    }

    /// <summary>The bare baseline app: this same program with `baseline`.</summary>
    public async Task<ChildProcess> StartBaseline()
    {
        var self = typeof(BenchContext).Assembly.Location;
        var env = new Dictionary<string, string>
        {
            ["ConnectionStrings__Amnify"] = Pg.AppConnectionString(Database),
            ["ApiDll"] = ApiDll,
            ["ASPNETCORE_ENVIRONMENT"] = "Production",
        };
        var process = ChildProcess.Start("baseline", "dotnet", [self, "baseline", "--urls", BaselineUrl], env, Path.Combine(LogsDir, "baseline.log"),
            BaselinePort, AppContext.BaseDirectory);
        Track("baseline app", process);
        await process.WaitReady($"{BaselineUrl}/readyz", TimeSpan.FromSeconds(60));
        return process;
    }

    private void Track(string label, ChildProcess process)
    {
        lock (processes)
        {
            processes.Add(process);
            Started.Add((label, process));
        }
    }

    /// <summary>Stops one process now (its peak RSS is read first).</summary>
    public async Task Stop(ChildProcess process)
    {
        lock (processes) processes.Remove(process);
        await process.DisposeAsync();
    }

    public async ValueTask DisposeAsync()
    {
        ChildProcess[] left;
        lock (processes)
        {
            left = processes.AsEnumerable().Reverse().ToArray();
            processes.Clear();
        }
        foreach (var process in left)
        {
            try { await process.DisposeAsync(); }
            catch (Exception e) { Console.Error.WriteLine($"stopping {process.Name}: {e.Message}"); }
        }
        api?.Dispose();
        if (db is not null) await db.DisposeAsync();
        NpgsqlConnection.ClearAllPools();
    }
}
