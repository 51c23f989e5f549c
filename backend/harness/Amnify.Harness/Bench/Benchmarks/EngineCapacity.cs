using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net;
using Amnify.Harness.Bench.Baseline;
using Amnify.Harness.Infra;
using Amnify.Harness.Reporting;
using Npgsql;

namespace Amnify.Harness.Bench.Benchmarks;

/// <summary>
/// What the engine itself can coordinate, with Terraform replaced by a stub that answers in a millisecond
/// (<see cref="StubTerraform"/>): deployment runs through the whole lifecycle — trigger, claim, init, plan, both
/// approvals given by the bench through the API, claim of the apply, apply, completion — at L runs in flight with
/// W `--role worker` processes on one PostgreSQL (its own database, the API in role api beside them).
///
/// For each (L, W) two windows: **paced**, the bench approves plans at the target rate (most of the L runs wait at the
/// plan gate, as runs waiting for people do), which shows whether the engine keeps up and how long a claimable run waits
/// (dispatch: queued → claimed, apply approved → apply claimed); **unpaced**, every gate approved at once, which is the
/// ceiling. During each window it samples where the time goes: CPU of PostgreSQL, the workers and the API (from /proc),
/// backends waiting on locks (pg_stat_activity, pg_locks), and claims per second.
/// </summary>
public static class EngineCapacity
{
    public const string Database = "amnify_engine";
    public static readonly int ApiPort = BenchContext.PgPort + 5;
    private static readonly int FirstWorkerPort = BenchContext.PgPort + 6;

    private const string BenchApplication = "amnify-bench-engine";

    private static readonly string[] Final = ["completed", "failed", "cancelled", "noChanges", "rejected", "expired", "destroyed"];

    public static async Task<EngineResult> Run(BenchContext ctx)
    {
        var sizes = ctx.Sizes.Engine;
        var stub = await StubTerraform.Build(ctx.Repo, Path.Combine(ctx.LogsDir, "stub-terraform"));
        await ctx.Pg.DropDatabase(Database);
        await ctx.Pg.CreateDatabase(Database);
        await using (var superuser = new NpgsqlConnection(ctx.Pg.ConnectionString(Database)))
        {
            await superuser.OpenAsync();
            await using var extension = new NpgsqlCommand("CREATE EXTENSION IF NOT EXISTS pg_stat_statements", superuser);
            await extension.ExecuteNonQueryAsync();
        }
        var engine = new Dictionary<string, string>
        {
            ["Engine__Terraform"] = stub,
            // The stub needs no sandbox; with one, each CLI call would also pay bubblewrap's namespaces (measured apart).
            ["Engine__Sandbox"] = sizes.Sandbox,
            ["Engine__Concurrency"] = sizes.ConcurrencyPerWorker.ToString(),
            ["Engine__WorkDir"] = Path.Combine(ctx.LogsDir, "engine-runs"),
            ["Logging__LogLevel__Default"] = "Warning",
        };
        var api = await ctx.StartApi("engine-api", "api", ApiPort, engine, Database);
        var workers = new List<ChildProcess>();
        // Named, so that the CPU of the bench's own backends can be left out of the database's.
        await using var db = NpgsqlDataSource.Create(new NpgsqlConnectionStringBuilder(ctx.Pg.ConnectionString(Database)) { ApplicationName = BenchApplication }.ToString());
        using var client = new ApiClient($"http://127.0.0.1:{ApiPort}", ctx.Token, maxConnections: 64, timeout: TimeSpan.FromSeconds(60));
        var eventsChannel = new ApiSql(ctx.ApiDll).Read("Amnify.Api.Engine.RunChannels", "Events");
        var result = new EngineResult { Sandbox = sizes.Sandbox, ConcurrencyPerWorker = sizes.ConcurrencyPerWorker, PacedRate = sizes.PacedRate, WarmupSeconds = sizes.Warmup.TotalSeconds };
        try
        {
            var project = await client.CreateProject($"engine-{ctx.Stamp}");
            var environment = await client.CreateCloudEnvironment($"engine-env-{ctx.Stamp}");
            var first = await client.CreateNetworkDeployment(project, environment, "engine-1");
            var deployments = await Clone(db, first, sizes.Levels.Max() - 1);
            Console.WriteLine($"  {deployments.Length + 1} deployments of aws-network (one created through the API, the rest copied in SQL)");
            await using var driver = new Driver(client, db, eventsChannel);
            driver.AddDeployments([first, .. deployments]);
            await driver.Start();

            foreach (var level in sizes.Levels)
            {
                foreach (var w in sizes.Workers)
                {
                    while (workers.Count < w)
                        workers.Add(await ctx.StartApi($"engine-worker-{workers.Count + 1}", "worker", FirstWorkerPort + workers.Count, engine, Database));
                    while (workers.Count > w)
                    {
                        await ctx.Stop(workers[^1]);
                        workers.RemoveAt(workers.Count - 1);
                    }
                    var settled = await driver.Settle(level, sizes.SettleTimeout);
                    Console.WriteLine($"  {level} in flight, {w} worker(s): {(settled ? "all at the plan gate" : "not settled within the timeout")}; paced at {sizes.PacedRate}/s…");
                    result.Rows.Add(await Window(ctx, db, driver, api, workers, level, w, paced: true, sizes, settled));
                    Console.WriteLine($"    {result.Rows[^1].RunsPerSecond:F1} runs/s, dispatch p99 {result.Rows[^1].DispatchMs.P99:F0} ms; unpaced…");
                    result.Rows.Add(await Window(ctx, db, driver, api, workers, level, w, paced: false, sizes, settled));
                    Console.WriteLine($"    {result.Rows[^1].RunsPerSecond:F1} runs/s, dispatch p99 {result.Rows[^1].DispatchMs.P99:F0} ms, DB {result.Rows[^1].DbCpuCores:F2} cores");
                }
            }
            result.Failures = driver.Failures;
            result.FirstError = driver.FirstError;
        }
        finally
        {
            foreach (var worker in workers) await ctx.Stop(worker);
            await ctx.Stop(api);
        }
        return result;
    }

    /// <summary>Copies one deployment <paramref name="count"/> times in SQL (every column but id and name kept).</summary>
    private static async Task<Guid[]> Clone(NpgsqlDataSource db, Guid source, int count)
    {
        if (count <= 0) return [];
        await using var columns = db.CreateCommand("""
            SELECT string_agg(quote_ident(column_name), ', ' ORDER BY ordinal_position) FROM information_schema.columns
            WHERE table_schema = 'public' AND table_name = 'deployments' AND column_name NOT IN ('id', 'name') AND is_generated = 'NEVER'
            """);
        var list = (string)(await columns.ExecuteScalarAsync())!;
        await using var copy = db.CreateCommand($"""
            INSERT INTO deployments (id, name, {list})
            SELECT gen_random_uuid(), d.name || '-copy-' || g, {string.Join(", ", list.Split(", ").Select(c => "d." + c))}
            FROM deployments d, generate_series(1, @count) g WHERE d.id = @source
            RETURNING id
            """);
        copy.Parameters.AddWithValue("count", count);
        copy.Parameters.AddWithValue("source", source);
        var ids = new List<Guid>();
        await using var reader = await copy.ExecuteReaderAsync();
        while (await reader.ReadAsync()) ids.Add(reader.GetGuid(0));
        return ids.ToArray();
    }

    private static async Task<EngineRow> Window(BenchContext ctx, NpgsqlDataSource db, Driver driver, ChildProcess api, List<ChildProcess> workers,
        int level, int w, bool paced, EngineSizes sizes, bool settled)
    {
        var postmaster = int.Parse(File.ReadLines(Path.Combine(ctx.Pg.DataDir, "postmaster.pid")).First().Trim());
        driver.Pace(paced ? sizes.PacedRate : null);
        // Measured once the runs flow: right after the settle every run waits at the plan gate and none is past it yet,
        // so a window that began with the first approvals would count the pipeline filling, not what the engine sustains.
        await Task.Delay(sizes.Warmup);
        await ResetStatements(db);
        var from = await DbNow(db);
        var own0 = await OwnBackendsCpu(db);
        var cpu0 = (Db: Cpu.Tree(postmaster), Workers: workers.Sum(p => Cpu.Tree(p.Pid)), Api: Cpu.Tree(api.Pid), Machine: Cpu.Machine());
        var completed0 = driver.Completed;
        var failed0 = driver.Failures;
        var clock = Stopwatch.StartNew();
        var samples = new List<(int Lock, int LwLock, int Active, int Ungranted, int InFlight)>();
        var waits = new Dictionary<string, int>();
        while (clock.Elapsed < sizes.Window)
        {
            await Task.Delay(sizes.SampleEvery);
            samples.Add(await Sample(db, driver));
            await SampleWaits(db, waits);
        }
        var seconds = clock.Elapsed.TotalSeconds;
        var completed = driver.Completed - completed0;
        var cpu1 = (Db: Cpu.Tree(postmaster), Workers: workers.Sum(p => Cpu.Tree(p.Pid)), Api: Cpu.Tree(api.Pid), Machine: Cpu.Machine());
        // The bench's own queries (watching runs, sampling) are not the engine's work.
        var own = (await OwnBackendsCpu(db)).Where(kv => own0.ContainsKey(kv.Key)).Sum(kv => kv.Value - own0[kv.Key]);
        cpu1 = cpu1 with { Db = cpu1.Db - own };
        var to = await DbNow(db);
        var (dispatch, claims) = await Dispatch(db, from, to);
        var statements = await Statements(db, completed);
        var phases = await Phases(db, from, to);
        double Cores(double ticks) => ticks / Cpu.TicksPerSecond / seconds;
        double MsPerRun(double ticks) => completed == 0 ? double.NaN : ticks / Cpu.TicksPerSecond * 1000 / completed;
        var (busy, total) = (cpu1.Machine.Busy - cpu0.Machine.Busy, cpu1.Machine.Total - cpu0.Machine.Total);
        return new EngineRow
        {
            InFlight = level,
            Workers = w,
            Mode = paced ? "paced" : "unpaced",
            Settled = settled,
            Seconds = seconds,
            RunsCompleted = completed,
            RunsFailed = driver.Failures - failed0,
            RunsPerSecond = completed / seconds,
            ClaimsPerSecond = claims / seconds,
            DispatchMs = dispatch,
            PhasesMs = phases,
            InFlightMean = samples.Count == 0 ? 0 : samples.Average(s => s.InFlight),
            DbCpuCores = Cores(cpu1.Db - cpu0.Db),
            WorkersCpuCores = Cores(cpu1.Workers - cpu0.Workers),
            ApiCpuCores = Cores(cpu1.Api - cpu0.Api),
            DbCpuMsPerRun = MsPerRun(cpu1.Db - cpu0.Db),
            WorkersCpuMsPerRun = MsPerRun(cpu1.Workers - cpu0.Workers),
            ApiCpuMsPerRun = MsPerRun(cpu1.Api - cpu0.Api),
            MachineBusyPercent = total == 0 ? double.NaN : 100.0 * busy / total,
            LockWaitsMean = samples.Count == 0 ? 0 : samples.Average(s => s.Lock),
            LwLockWaitsMean = samples.Count == 0 ? 0 : samples.Average(s => s.LwLock),
            ActiveBackendsMean = samples.Count == 0 ? 0 : samples.Average(s => s.Active),
            UngrantedLocksMean = samples.Count == 0 ? 0 : samples.Average(s => s.Ungranted),
            UngrantedLocksMax = samples.Count == 0 ? 0 : samples.Max(s => s.Ungranted),
            Statements = statements,
            StatementsPerRun = completed == 0 ? double.NaN : statements.Sum(x => x.TopLevel ? x.CallsPerRun : 0),
            Waits = waits.OrderByDescending(kv => kv.Value).Take(8)
                .Select(kv => new WaitCount(kv.Key, samples.Count == 0 ? 0 : (double)kv.Value / samples.Count)).ToList(),
        };
    }

    private static async Task<Dictionary<int, double>> OwnBackendsCpu(NpgsqlDataSource db)
    {
        await using var command = db.CreateCommand($"SELECT pid FROM pg_stat_activity WHERE application_name = '{BenchApplication}'");
        var pids = new List<int>();
        await using (var r = await command.ExecuteReaderAsync())
            while (await r.ReadAsync()) pids.Add(r.GetInt32(0));
        return pids.ToDictionary(p => p, p => Cpu.Tree(p));
    }

    private static async Task<DateTime> DbNow(NpgsqlDataSource db)
    {
        await using var command = db.CreateCommand("SELECT clock_timestamp()");
        return (DateTime)(await command.ExecuteScalarAsync())!;
    }

    private static async Task<(int, int, int, int, int)> Sample(NpgsqlDataSource db, Driver driver)
    {
        await using var command = db.CreateCommand($"""
            SELECT count(*) FILTER (WHERE wait_event_type = 'Lock')::int, count(*) FILTER (WHERE wait_event_type = 'LWLock')::int,
                   count(*) FILTER (WHERE state = 'active')::int, (SELECT count(*) FROM pg_locks WHERE NOT granted)::int
            FROM pg_stat_activity WHERE datname = '{Database}' AND pid <> pg_backend_pid()
            """);
        await using var r = await command.ExecuteReaderAsync();
        await r.ReadAsync();
        return (r.GetInt32(0), r.GetInt32(1), r.GetInt32(2), r.GetInt32(3), driver.InFlight);
    }

    private static async Task ResetStatements(NpgsqlDataSource db)
    {
        await using var command = db.CreateCommand("SELECT pg_stat_statements_reset()");
        await command.ExecuteNonQueryAsync();
    }

    /// <summary>
    /// What the API and workers (the app role: Terraform's stub never connects) executed in the window, per completed run:
    /// each statement's calls and execution time, nested ones (trigger bodies) marked. Utility statements (BEGIN, DDL,
    /// NOTIFY) are counted too.
    /// </summary>
    private static async Task<List<StatementCost>> Statements(NpgsqlDataSource db, long completed)
    {
        await using var command = db.CreateCommand($"""
            SELECT s.query, s.toplevel, sum(s.calls)::bigint, sum(s.total_exec_time)
            FROM pg_stat_statements s JOIN pg_roles r ON r.oid = s.userid JOIN pg_database d ON d.oid = s.dbid
            WHERE d.datname = '{Database}' AND r.rolname = '{Postgres.AppRole}'
            GROUP BY s.query, s.toplevel
            """);
        double PerRun(double v) => completed == 0 ? double.NaN : v / completed;
        var rows = new List<StatementCost>();
        await using var r = await command.ExecuteReaderAsync();
        while (await r.ReadAsync())
        {
            var text = string.Join(' ', r.GetString(0).Split((char[])[' ', '\n', '\r', '\t'], StringSplitOptions.RemoveEmptyEntries));
            rows.Add(new StatementCost(StatementKind(text), text.Length > 110 ? text[..110] + "…" : text, r.GetBoolean(1), PerRun(r.GetInt64(2)), PerRun(r.GetDouble(3))));
        }
        return rows.OrderByDescending(x => x.CallsPerRun).ToList();
    }

    /// <summary>A statement's kind for the breakdown: its verb, and the table or object it acts on where that is plain.</summary>
    public static string StatementKind(string text)
    {
        var words = text.Split(' ', StringSplitOptions.RemoveEmptyEntries);
        if (words.Length == 0) return "?";
        var verb = words[0].ToUpperInvariant();
        string After(string keyword)
        {
            var i = Array.FindIndex(words, w => w.Equals(keyword, StringComparison.OrdinalIgnoreCase));
            if (i < 0 || i + 1 >= words.Length) return "";
            var name = words[i + 1].Trim('(', ')', ';', ',');
            return " " + (name.StartsWith("tfstate_", StringComparison.Ordinal) ? "tfstate_*" + (name.Contains('.') ? name[name.IndexOf('.')..] : "") : name);
        }
        // What Npgsql sends before reusing a pooled connection that holds prepared statements (instead of DISCARD ALL).
        if (verb is "RESET" or "CLOSE" or "UNLISTEN" or "DISCARD" || text.StartsWith("SET SESSION AUTHORIZATION", StringComparison.OrdinalIgnoreCase)
            || text.Contains("pg_advisory_unlock_all", StringComparison.OrdinalIgnoreCase))
            return "connection reset (pooled connection reused)";
        return verb switch
        {
            "SELECT" when text.Contains("pg_advisory", StringComparison.OrdinalIgnoreCase) => "SELECT advisory lock",
            "SELECT" when text.Contains("FOR UPDATE", StringComparison.OrdinalIgnoreCase) => "SELECT … FOR UPDATE" + After("FROM"),
            "SELECT" => "SELECT" + After("FROM"),
            "UPDATE" => "UPDATE" + (words.Length > 1 ? " " + words[1] : ""),
            "INSERT" => "INSERT" + After("INTO"),
            "DELETE" => "DELETE" + After("FROM"),
            "WITH" => "WITH … UPDATE" + After("UPDATE") + " / INSERT" + After("INTO"),
            "CREATE" or "GRANT" or "ALTER" or "DROP" => "DDL " + verb,
            _ => verb,
        };
    }

    /// <summary>
    /// Who waits on what, at this instant: each backend waiting on a heavyweight lock by lock type, mode and relation
    /// (the lock it waits for, from pg_locks), each waiting on an LWLock by its wait event.
    /// </summary>
    private static async Task SampleWaits(NpgsqlDataSource db, Dictionary<string, int> waits)
    {
        await using var command = db.CreateCommand($"""
            SELECT 'Lock ' || l.locktype || ' ' || l.mode || COALESCE(' on ' || c.relname, '')
                   -- An object lock on pg_database 0 is the one NOTIFY takes from pre-commit to the end of commit.
                   || CASE WHEN l.locktype = 'object' THEN ' on ' || l.classid::regclass || ' ' || l.objid
                           || CASE WHEN l.classid = 'pg_database'::regclass AND l.objid = 0 THEN ' (the NOTIFY queue lock)' ELSE '' END ELSE '' END
            FROM pg_locks l JOIN pg_stat_activity a ON a.pid = l.pid LEFT JOIN pg_class c ON c.oid = l.relation
            WHERE NOT l.granted AND a.datname = '{Database}'
            UNION ALL
            SELECT 'LWLock ' || wait_event FROM pg_stat_activity
            WHERE datname = '{Database}' AND wait_event_type = 'LWLock' AND pid <> pg_backend_pid()
            """);
        await using var r = await command.ExecuteReaderAsync();
        while (await r.ReadAsync())
        {
            var key = r.GetString(0);
            waits[key] = waits.GetValueOrDefault(key) + 1;
        }
    }

    /// <summary>Claimable → claimed, for every claim in the window: a queued run's plan (queued_at → started_at) and an approved apply (apply_approved_at → apply_started_at).</summary>
    private static async Task<(Percentiles, int)> Dispatch(NpgsqlDataSource db, DateTime from, DateTime to)
    {
        await using var command = db.CreateCommand("""
            SELECT extract(epoch FROM started_at - queued_at) * 1000 FROM deployment_runs WHERE started_at >= @from AND started_at < @to
            UNION ALL
            SELECT extract(epoch FROM apply_started_at - apply_approved_at) * 1000 FROM deployment_runs
            WHERE apply_started_at >= @from AND apply_started_at < @to AND apply_approved_at IS NOT NULL
            """);
        command.Parameters.AddWithValue("from", from);
        command.Parameters.AddWithValue("to", to);
        var values = new List<double>();
        await using var r = await command.ExecuteReaderAsync();
        while (await r.ReadAsync()) values.Add(Convert.ToDouble(r.GetValue(0)));
        return (Percentiles.Of(values), values.Count);
    }

    /// <summary>Where the runs that completed in the window spent their time (means, ms).</summary>
    private static async Task<PhaseBreakdown> Phases(NpgsqlDataSource db, DateTime from, DateTime to)
    {
        await using var command = db.CreateCommand("""
            SELECT avg(extract(epoch FROM started_at - queued_at)), avg(extract(epoch FROM planned_at - started_at)),
                   avg(extract(epoch FROM plan_approved_at - planned_at)), avg(extract(epoch FROM apply_approved_at - plan_approved_at)),
                   avg(extract(epoch FROM apply_started_at - apply_approved_at)), avg(extract(epoch FROM finished_at - apply_started_at))
            FROM deployment_runs WHERE status = 'completed' AND finished_at >= @from AND finished_at < @to
            """);
        command.Parameters.AddWithValue("from", from);
        command.Parameters.AddWithValue("to", to);
        await using var r = await command.ExecuteReaderAsync();
        await r.ReadAsync();
        double Ms(int i) => r.IsDBNull(i) ? double.NaN : Convert.ToDouble(r.GetValue(i)) * 1000;
        return new PhaseBreakdown(Ms(0), Ms(1), Ms(2), Ms(3), Ms(4), Ms(5));
    }

    /// <summary>CPU time from /proc, in clock ticks.</summary>
    private static class Cpu
    {
        public const double TicksPerSecond = 100; // USER_HZ on Linux

        /// <summary>A process, the children it reaped (cutime/cstime) and its live descendants.</summary>
        public static double Tree(int pid)
        {
            double total = Own(pid, withChildren: true);
            foreach (var child in ChildProcess.Descendants(pid)) total += Own(child, withChildren: false);
            return total;
        }

        private static double Own(int pid, bool withChildren)
        {
            try
            {
                var stat = File.ReadAllText($"/proc/{pid}/stat");
                var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
                // Fields after the name start at state (3): utime 14, stime 15, cutime 16, cstime 17.
                var own = double.Parse(fields[11]) + double.Parse(fields[12]);
                return withChildren ? own + double.Parse(fields[13]) + double.Parse(fields[14]) : own;
            }
            catch (IOException) { return 0; }
        }

        public static (double Busy, double Total) Machine()
        {
            var parts = File.ReadLines("/proc/stat").First().Split(' ', StringSplitOptions.RemoveEmptyEntries).Skip(1).Select(double.Parse).ToArray();
            var idle = parts[3] + parts[4];
            var total = parts.Take(8).Sum();
            return (total - idle, total);
        }
    }

    /// <summary>
    /// Keeps L runs in flight: triggers a run on an idle deployment, approves each gate through the API (plan
    /// approvals paced or not), and triggers again on that deployment when its run ends. It learns of every change from
    /// the engine's own event NOTIFY and reads the run's status in one query for all the runs that changed.
    /// </summary>
    private sealed class Driver(ApiClient api, NpgsqlDataSource db, string eventsChannel) : IAsyncDisposable
    {
        private sealed class Tracked(Guid deployment)
        {
            public Guid Deployment { get; } = deployment;
            public string Status = "queued";
            public bool PlanApproval;
            public bool ApplyApproval;
        }

        private readonly ConcurrentDictionary<Guid, Tracked> active = new();
        private readonly ConcurrentQueue<Guid> idle = new();
        private readonly ConcurrentQueue<Guid> planGate = new();
        private readonly ConcurrentDictionary<Guid, byte> dirty = new();
        private readonly SemaphoreSlim calls = new(32);
        private readonly CancellationTokenSource stop = new();
        private readonly List<Task> loops = [];
        private NpgsqlConnection? listener;
        private int target;
        private int triggering;
        private double? rate; // plan approvals per second; null: at once
        private bool holdPlans;
        private long completed;
        private int failures;

        public int InFlight => active.Count;
        public long Completed => Interlocked.Read(ref completed);
        public int Failures => failures;
        public string? FirstError { get; private set; }

        public void AddDeployments(IEnumerable<Guid> ids)
        {
            foreach (var id in ids) idle.Enqueue(id);
        }

        public async Task Start()
        {
            listener = await db.OpenConnectionAsync();
            listener.Notification += (_, e) =>
            {
                if (Guid.TryParse(e.Payload, out var id) && active.ContainsKey(id)) dirty.TryAdd(id, 0);
            };
            await using (var listen = new NpgsqlCommand($"LISTEN {eventsChannel}", listener)) await listen.ExecuteNonQueryAsync();
            loops.Add(Task.Run(async () =>
            {
                while (!stop.IsCancellationRequested) await listener.WaitAsync(stop.Token);
            }));
            loops.Add(Task.Run(React));
            loops.Add(Task.Run(ApprovePlans));
        }

        public void Pace(double? perSecond)
        {
            rate = perSecond;
            holdPlans = false;
        }

        /// <summary>Brings the runs in flight to <paramref name="level"/> and holds plan approvals until every run waits at the plan gate.</summary>
        public async Task<bool> Settle(int level, TimeSpan timeout)
        {
            holdPlans = true;
            Volatile.Write(ref target, level);
            var clock = Stopwatch.StartNew();
            while (clock.Elapsed < timeout)
            {
                await TopUp();
                if (active.Count >= level && active.Values.All(t => t.Status == "awaitingPlanApproval")) return true;
                await Task.Delay(200);
            }
            return false;
        }

        private async Task TopUp()
        {
            var wanted = Volatile.Read(ref target) - active.Count - Volatile.Read(ref triggering);
            var tasks = new List<Task>();
            for (var i = 0; i < wanted && idle.TryDequeue(out var deployment); i++) tasks.Add(Trigger(deployment));
            await Task.WhenAll(tasks);
        }

        private async Task Trigger(Guid deployment)
        {
            Interlocked.Increment(ref triggering);
            await calls.WaitAsync();
            try
            {
                var answer = await api.Post($"/api/v1/deployments/{deployment}/runs", new { operation = "execute" });
                if (answer.Status != HttpStatusCode.Accepted)
                {
                    Fail($"trigger answered {answer.Code}: {answer.Text}");
                    idle.Enqueue(deployment);
                    return;
                }
                var id = answer.Id;
                active[id] = new Tracked(deployment);
                dirty.TryAdd(id, 0);
            }
            finally
            {
                calls.Release();
                Interlocked.Decrement(ref triggering);
            }
        }

        private void Fail(string error)
        {
            Interlocked.Increment(ref failures);
            FirstError ??= error;
        }

        /// <summary>Reads the status of every run that changed (and, every second, of all of them) and answers it.</summary>
        private async Task React()
        {
            var lastFull = Stopwatch.StartNew();
            while (!stop.IsCancellationRequested)
            {
                try
                {
                    await Task.Delay(10, stop.Token);
                    Guid[] ids;
                    if (lastFull.Elapsed > TimeSpan.FromSeconds(1))
                    {
                        ids = active.Keys.ToArray();
                        lastFull.Restart();
                    }
                    else ids = dirty.Keys.ToArray();
                    foreach (var id in ids) dirty.TryRemove(id, out _);
                    if (ids.Length > 0)
                    {
                        await using var command = db.CreateCommand("SELECT id, status, error FROM deployment_runs WHERE id = ANY(@ids)");
                        command.Parameters.AddWithValue("ids", ids);
                        await using var r = await command.ExecuteReaderAsync(stop.Token);
                        while (await r.ReadAsync(stop.Token))
                            Answer(r.GetGuid(0), r.GetString(1), r.IsDBNull(2) ? null : r.GetString(2));
                    }
                    await TopUp();
                }
                catch (OperationCanceledException) when (stop.IsCancellationRequested) { return; }
                catch (Exception e) { Fail($"driver: {e.Message}"); }
            }
        }

        private void Answer(Guid id, string status, string? error)
        {
            if (!active.TryGetValue(id, out var run)) return;
            run.Status = status;
            if (status == "awaitingPlanApproval" && !run.PlanApproval)
            {
                run.PlanApproval = true;
                planGate.Enqueue(id);
            }
            else if (status == "awaitingApplyApproval" && !run.ApplyApproval)
            {
                run.ApplyApproval = true;
                _ = Approve(id, "approve-apply");
            }
            else if (Final.Contains(status) && active.TryRemove(id, out _))
            {
                if (status == "completed") Interlocked.Increment(ref completed);
                else Fail($"run ended {status}: {error}");
                idle.Enqueue(run.Deployment);
            }
        }

        private async Task Approve(Guid id, string gate, bool holdsCall = false)
        {
            if (!holdsCall) await calls.WaitAsync();
            try
            {
                var answer = await api.Post($"/api/v1/deployment-runs/{id}/{gate}");
                if (!answer.Ok) Fail($"{gate} answered {answer.Code}: {answer.Text}");
                dirty.TryAdd(id, 0);
            }
            catch (Exception e) { Fail($"{gate}: {e.Message}"); }
            finally { calls.Release(); }
        }

        /// <summary>Plan approvals in the order the plans became ready: at once, or at the paced rate.</summary>
        private async Task ApprovePlans()
        {
            var clock = Stopwatch.StartNew();
            var given = 0.0;
            while (!stop.IsCancellationRequested)
            {
                try
                {
                    if (holdPlans || !planGate.TryPeek(out _))
                    {
                        await Task.Delay(5, stop.Token);
                        clock.Restart();
                        given = 0;
                        continue;
                    }
                    if (rate is { } perSecond && given >= clock.Elapsed.TotalSeconds * perSecond)
                    {
                        await Task.Delay(2, stop.Token);
                        continue;
                    }
                    // One approval waits for a call at a time: queueing every plan at once put the whole gate ahead of
                    // the apply approvals and triggers (the calls go first come, first served), so an unpaced window
                    // finished no run until the last plan had been approved.
                    await calls.WaitAsync(stop.Token);
                    if (planGate.TryDequeue(out var id))
                    {
                        given++;
                        _ = Approve(id, "approve-plan", holdsCall: true);
                    }
                    else calls.Release();
                }
                catch (OperationCanceledException) when (stop.IsCancellationRequested) { return; }
            }
        }

        public async ValueTask DisposeAsync()
        {
            await stop.CancelAsync();
            try { await Task.WhenAll(loops); } catch (OperationCanceledException) { }
            if (listener is not null) await listener.DisposeAsync();
        }
    }
}
