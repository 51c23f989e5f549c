using System.Net;
using System.Net.Sockets;
using System.Security.Cryptography;

namespace Amnify.Harness.Infra;

/// <summary>
/// The system under test as real OS processes: PostgreSQL (pg.sh, own folder and port), the API
/// (<c>--role api</c>) and worker processes (<c>--role worker</c>), all with the same settings.
/// The fault methods are what the chaos harness injects; <see cref="DisposeAsync"/> stops everything.
/// </summary>
public sealed class Cluster : IAsyncDisposable
{
    private readonly string apiDll;
    private readonly Dictionary<string, string> environment;
    private readonly List<int> groups = [];
    private readonly object gate = new();
    private int started;

    public Postgres Postgres { get; }
    public string Database { get; }
    public string Token { get; }
    public string RunDir { get; }
    public string RecordDir { get; }
    public string LogDir { get; }
    public ChildProcess? Api { get; private set; }
    public ChildProcess?[] Workers { get; }
    public string ApiUrl => $"http://127.0.0.1:{Api!.Port}";
    public string ConnectionString => Postgres.ConnectionString(Database);

    public Cluster(string repo, string apiDll, string runDir, string database, int workers, int leaseSeconds)
    {
        this.apiDll = apiDll;
        RunDir = runDir;
        RecordDir = Path.Combine(runDir, "records");
        LogDir = Path.Combine(runDir, "logs");
        Directory.CreateDirectory(RecordDir);
        Directory.CreateDirectory(LogDir);
        Directory.CreateDirectory(Path.Combine(runDir, "work"));
        Postgres = new Postgres(repo, Path.Combine(repo, ".data/pg-chaos"), 5499);
        Database = database;
        Token = "amn_rel_" + Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(20));
        Workers = new ChildProcess?[workers];
        environment = new Dictionary<string, string>
        {
            ["Secrets__Key"] = Convert.ToBase64String(RandomNumberGenerator.GetBytes(32)),
            ["Templates__Source"] = Path.Combine(repo, "backend/harness/templates"),
            ["Templates__SyncOnStart"] = "true",
            ["AMNIFY_BOOTSTRAP_ADMIN_TOKEN"] = Token,
            ["Engine__LeaseSeconds"] = leaseSeconds.ToString(),
            ["Engine__PollSeconds"] = "2",
            ["Engine__WorkDir"] = Path.Combine(runDir, "work"),
            ["ASPNETCORE_ENVIRONMENT"] = "Production",
            ["DOTNET_gcServer"] = "0",
            ["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1",
            ["Logging__Console__FormatterName"] = "simple",
            ["Logging__Console__FormatterOptions__TimestampFormat"] = "HH:mm:ss.fff ",
            ["Logging__LogLevel__Microsoft.AspNetCore"] = "Warning",
            ["Logging__LogLevel__Npgsql"] = "Warning",
        };
    }

    public async Task Start()
    {
        await Postgres.Start();
        await Postgres.DropDatabase(Database);
        await Postgres.CreateDatabase(Database);
        // pg.sh start made the app role and its password.
        environment["ConnectionStrings__Amnify"] = Postgres.AppConnectionString(Database);
        environment["Engine__StateConnectionString"] = Postgres.StateConnectionString(Database);
        await StartApi();
        for (var i = 0; i < Workers.Length; i++) await StartWorker(i);
    }

    private int apiPort;

    /// <summary>Starts the API; a restart keeps its port, as a restarted service would.</summary>
    public async Task StartApi()
    {
        var port = apiPort == 0 ? apiPort = FreePort() : apiPort;
        var api = Launch($"api", ["--role", "api", "--urls", $"http://127.0.0.1:{port}"], port);
        Api = api;
        await WaitHealthy(api, "/readyz", TimeSpan.FromSeconds(90));
    }

    public async Task StartWorker(int slot)
    {
        var port = FreePort();
        var worker = Launch($"worker{slot}", ["--role", "worker", "--urls", $"http://127.0.0.1:{port}"], port);
        Workers[slot] = worker;
        await WaitHealthy(worker, "/healthz", TimeSpan.FromSeconds(90));
    }

    private ChildProcess Launch(string name, string[] args, int port)
    {
        var n = Interlocked.Increment(ref started);
        var process = ChildProcess.Start($"{name}#{n}", "dotnet", [apiDll, .. args], environment,
            Path.Combine(LogDir, $"{n:D3}-{name}.log"), port);
        lock (gate) groups.Add(process.Pid);
        return process;
    }

    private static Task WaitHealthy(ChildProcess process, string path, TimeSpan timeout) =>
        process.WaitReady($"http://127.0.0.1:{process.Port}{path}", timeout);

    /// <summary>The worker slot whose process has this pid (worker ids are "host:pid:random").</summary>
    public int? SlotOfWorkerId(string? workerId)
    {
        if (workerId is null) return null;
        var parts = workerId.Split(':');
        if (parts.Length < 3 || !int.TryParse(parts[^2], out var pid)) return null;
        for (var i = 0; i < Workers.Length; i++)
            if (Workers[i]?.Pid == pid) return i;
        return null;
    }

    /// <summary>A process left running by a killed worker (terraform, or the shell of a local-exec) and its working directory.</summary>
    public sealed record Orphan(int Pid, string Cwd);

    /// <summary>
    /// kill -9 of a worker (alone, or with its process group), then a fresh one in its slot after
    /// <paramref name="downFor"/>. Answers the processes that outlived it: every descendant it had (sandboxed
    /// ones in sessions of their own included) must die with it, so any of them still alive after a short grace
    /// is an orphan.
    /// </summary>
    public async Task<List<Orphan>> KillWorker(int slot, bool tree, TimeSpan downFor)
    {
        var worker = Workers[slot]!;
        var descendants = Descendants(worker.Pid);
        worker.Note(tree ? "kill -9 of the process group" : "kill -9");
        if (tree) worker.KillTree(); else worker.Kill();
        await worker.WaitForExit(TimeSpan.FromSeconds(10));
        var orphans = await Survivors(descendants);
        await Task.Delay(downFor);
        await StartWorker(slot);
        return orphans;
    }

    public async Task<List<Orphan>> KillAllWorkers(TimeSpan downFor)
    {
        var descendants = Workers.SelectMany(w => Descendants(w!.Pid)).ToList();
        foreach (var w in Workers) { w!.Note("kill -9 (all workers)"); w.Kill(); }
        foreach (var w in Workers) await w!.WaitForExit(TimeSpan.FromSeconds(10));
        var orphans = await Survivors(descendants);
        await Task.Delay(downFor);
        for (var i = 0; i < Workers.Length; i++) await StartWorker(i);
        return orphans;
    }

    /// <summary>Every live descendant of <paramref name="pid"/> with its working directory, read before the kill.</summary>
    private static List<Orphan> Descendants(int pid)
    {
        var list = new List<Orphan>();
        foreach (var child in ChildProcess.Descendants(pid))
        {
            try
            {
                var cwd = new FileInfo($"/proc/{child}/cwd").LinkTarget;
                list.Add(new Orphan(child, cwd ?? ""));
            }
            catch (IOException) { }
            catch (UnauthorizedAccessException) { }
        }
        return list;
    }

    /// <summary>Those of <paramref name="descendants"/> still alive two seconds after their worker died.</summary>
    private static async Task<List<Orphan>> Survivors(List<Orphan> descendants)
    {
        var until = DateTime.UtcNow.AddSeconds(2);
        List<Orphan> alive;
        do
        {
            alive = descendants.Where(d => ChildProcess.IsAlive(d.Pid)).ToList();
            if (alive.Count == 0) break;
            await Task.Delay(100);
        } while (DateTime.UtcNow < until);
        return alive;
    }

    /// <summary>SIGTERM: a graceful stop should hand planning runs back to the queue.</summary>
    public async Task StopWorkerGracefully(int slot, TimeSpan downFor)
    {
        var worker = Workers[slot]!;
        worker.Note("SIGTERM");
        worker.Terminate();
        if (!await worker.WaitForExit(TimeSpan.FromSeconds(40))) { worker.Note("still up after 40 s: kill -9"); worker.KillTree(); await worker.WaitForExit(TimeSpan.FromSeconds(10)); }
        await Task.Delay(downFor);
        await StartWorker(slot);
    }

    public async Task RestartApi(bool hard)
    {
        var api = Api!;
        api.Note(hard ? "kill -9" : "SIGTERM");
        if (hard) api.Kill(); else api.Terminate();
        if (!await api.WaitForExit(TimeSpan.FromSeconds(30))) { api.KillTree(); await api.WaitForExit(TimeSpan.FromSeconds(10)); }
        await StartApi();
    }

    public async Task RestartPostgres()
    {
        await Postgres.RestartImmediate();
    }

    /// <summary>Waits until the API answers /readyz (after a fault, before the harness goes on).</summary>
    public Task WaitApiReady(TimeSpan timeout) => WaitHealthy(Api!, "/readyz", timeout);

    public async ValueTask DisposeAsync()
    {
        var all = new List<ChildProcess>();
        if (Api is not null) all.Add(Api);
        all.AddRange(Workers.Where(w => w is not null)!);
        await Task.WhenAll(all.Select(p => p.Stop(TimeSpan.FromSeconds(15))));
        // Anything left in a group this harness created (terraform orphaned by a killed worker).
        List<int> mine;
        lock (gate) mine = [.. groups];
        foreach (var pgid in mine) ChildProcess.KillGroupMembers(pgid);
    }

    public async Task StopPostgres()
    {
        try { await Postgres.Stop(); } catch (Exception e) { Console.Error.WriteLine($"pg.sh stop failed: {e.Message}"); }
    }

    public static int FreePort()
    {
        var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();
        return port;
    }
}
