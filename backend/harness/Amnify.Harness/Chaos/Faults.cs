using Amnify.Harness.Infra;

namespace Amnify.Harness.Chaos;

/// <summary>The run phase a fault waits for before it strikes.</summary>
public enum Phase
{
    /// <summary>A run of the trial is initializing or planning (a worker holds its lease).</summary>
    Planning,
    /// <summary>A run of the trial awaits its plan or apply approval (no worker holds it).</summary>
    Approval,
    /// <summary>A run of the trial has begun its apply (apply_started_at set, terraform running).</summary>
    Applying,
    /// <summary>A destroy run of the trial has begun its apply.</summary>
    Destroying,
    /// <summary>Any moment within the first seconds of the trial.</summary>
    Random,
}

public enum FaultAction
{
    /// <summary>kill -9 of the worker process alone (its terraform child lives on, orphaned).</summary>
    KillWorker,
    /// <summary>kill -9 of the worker's whole process group (terraform dies with it).</summary>
    KillWorkerTree,
    KillAllWorkers,
    /// <summary>SIGTERM: a graceful stop.</summary>
    StopWorker,
    KillApi,
    StopApi,
    /// <summary>pg_ctl restart -m immediate.</summary>
    RestartPostgres,
}

public sealed record FaultKind(FaultAction Action, Phase Phase)
{
    public string Name => $"{Action switch
    {
        FaultAction.KillWorker => "kill-worker",
        FaultAction.KillWorkerTree => "kill-worker-tree",
        FaultAction.KillAllWorkers => "kill-all-workers",
        FaultAction.StopWorker => "sigterm-worker",
        FaultAction.KillApi => "kill-api",
        FaultAction.StopApi => "restart-api",
        _ => "restart-postgres",
    }}@{Phase.ToString().ToLowerInvariant()}";

    /// <summary>Every kind the full run cycles through (each phase is hit by several actions).</summary>
    public static readonly FaultKind[] All =
    [
        new(FaultAction.KillWorker, Phase.Planning),
        new(FaultAction.KillWorkerTree, Phase.Planning),
        new(FaultAction.KillAllWorkers, Phase.Planning),
        new(FaultAction.StopWorker, Phase.Planning),
        new(FaultAction.RestartPostgres, Phase.Planning),
        new(FaultAction.KillWorker, Phase.Approval),
        new(FaultAction.KillApi, Phase.Approval),
        new(FaultAction.RestartPostgres, Phase.Approval),
        new(FaultAction.KillWorker, Phase.Applying),
        new(FaultAction.KillWorkerTree, Phase.Applying),
        new(FaultAction.StopWorker, Phase.Applying),
        new(FaultAction.StopApi, Phase.Applying),
        new(FaultAction.RestartPostgres, Phase.Applying),
        new(FaultAction.KillWorker, Phase.Destroying),
        new(FaultAction.KillWorkerTree, Phase.Destroying),
        new(FaultAction.KillWorker, Phase.Random),
        new(FaultAction.KillApi, Phase.Random),
        new(FaultAction.RestartPostgres, Phase.Random),
    ];

    /// <summary>The short run: one of each fault family, at the phases that matter most.</summary>
    public static readonly FaultKind[] Smoke =
    [
        new(FaultAction.KillWorker, Phase.Planning),
        new(FaultAction.KillWorkerTree, Phase.Applying),
        new(FaultAction.KillApi, Phase.Approval),
        new(FaultAction.RestartPostgres, Phase.Applying),
    ];
}

/// <summary>
/// Waits for a trial's runs to reach the fault's phase (watching the database), then strikes. Faults of
/// trials running side by side go one at a time; each strikes the whole system, as a real one would.
/// </summary>
public sealed class FaultInjector(Cluster cluster, Db db)
{
    private readonly SemaphoreSlim gate = new(1, 1);
    private readonly object statsLock = new();
    private readonly List<(FaultAction Action, DateTime Start, DateTime End)> timeline = [];
    private readonly List<OrphanRun> orphans = [];
    public Dictionary<string, int> Struck { get; } = [];

    /// <summary>Terraform left running by a killed worker, for the run whose directory it works in.</summary>
    public sealed class OrphanRun
    {
        public required Guid RunId { get; init; }
        public required Guid DeploymentId { get; init; }
        public required DateTime Since { get; init; }
        public DateTime? Until { get; set; }
    }

    /// <summary>Faults of this action that struck between <paramref name="from"/> and <paramref name="to"/> (UTC).</summary>
    public bool StruckBetween(FaultAction action, DateTime from, DateTime to)
    {
        lock (statsLock) return timeline.Any(f => f.Action == action && f.Start <= to && f.End >= from);
    }

    /// <summary>Whether orphaned terraform of this deployment was alive at some point between the two times.</summary>
    public bool OrphanAlive(Guid deploymentId, DateTime from, DateTime to)
    {
        lock (statsLock) return orphans.Any(o => o.DeploymentId == deploymentId && o.Since <= to && (o.Until ?? DateTime.MaxValue) >= from);
    }

    private static void ReportOrphans(List<Cluster.Orphan> left, string killed, List<string> violations)
    {
        if (left.Count == 0) return;
        lock (violations)
            violations.Add($"{left.Count} process(es) outlived the kill of {killed}: " +
                           string.Join(", ", left.Select(o => $"pid {o.Pid} in {o.Cwd}")));
    }

    private async Task TrackOrphans(List<Cluster.Orphan> found, DateTime since)
    {
        var byRun = new Dictionary<Guid, List<int>>();
        foreach (var o in found)
        {
            var dir = Path.GetFileName(o.Cwd);
            if (dir.Length >= 32 && Guid.TryParseExact(dir[..32], "N", out var runId))
                (byRun.TryGetValue(runId, out var pids) ? pids : byRun[runId] = []).Add(o.Pid);
        }
        foreach (var (runId, pids) in byRun)
        {
            var deployment = (await db.TryQuery<Guid>("SELECT deployment_id FROM deployment_runs WHERE id = @runId", new { runId }))?.FirstOrDefault();
            if (deployment is null || deployment == Guid.Empty) continue;
            var orphan = new OrphanRun { RunId = runId, DeploymentId = deployment.Value, Since = since };
            lock (statsLock) orphans.Add(orphan);
            _ = Task.Run(async () =>
            {
                while (pids.Any(p => Directory.Exists($"/proc/{p}"))) await Task.Delay(100);
                orphan.Until = DateTime.UtcNow;
            });
        }
    }

    private sealed class PhaseRow
    {
        public Guid Id { get; set; }
        public string Status { get; set; } = "";
        public string? WorkerId { get; set; }
    }

    private static string PhaseSql(Phase phase) => phase switch
    {
        Phase.Planning => "status IN ('initializing', 'planning')",
        Phase.Approval => "status IN ('awaitingPlanApproval', 'awaitingApplyApproval')",
        Phase.Applying => "status = 'applying' AND apply_started_at IS NOT NULL",
        Phase.Destroying => "status = 'destroying' AND apply_started_at IS NOT NULL",
        _ => "false",
    };

    /// <summary>
    /// Not a fault: restarts both workers (SIGTERM, then a fresh process) so a trial that found the engine stuck
    /// can tell whether fresh workers would move its runs on, and later trials start from a working engine.
    /// </summary>
    public async Task Heal()
    {
        await gate.WaitAsync();
        try
        {
            for (var i = 0; i < cluster.Workers.Length; i++) await cluster.StopWorkerGracefully(i, TimeSpan.Zero);
            lock (statsLock) Healed++;
        }
        finally
        {
            gate.Release();
        }
    }

    public int Healed { get; private set; }

    /// <summary>Answers what was done (for the trial's line), or why nothing was.</summary>
    /// <summary>
    /// Strikes once and answers what it did; a process that outlived its killed worker is added to
    /// <paramref name="violations"/> (children must die with their worker).
    /// </summary>
    public async Task<string> Strike(FaultKind kind, Guid[] deploymentIds, Random random, TimeSpan wait, List<string> violations, CancellationToken stop)
    {
        PhaseRow? target = null;
        string? at = null;
        if (kind.Phase == Phase.Random)
        {
            try { await Task.Delay(TimeSpan.FromMilliseconds(random.Next(300, 6000)), stop); }
            catch (OperationCanceledException) { return "no fault: the trial ended first"; }
            await gate.WaitAsync(CancellationToken.None);
        }
        else
        {
            // Wait for a run in the phase, strike at a random moment inside it; if another trial's fault held
            // the gate until the phase was over, wait for the phase again (e.g. the next step's).
            var until = DateTime.UtcNow + wait;
            var sql = $"SELECT id, status, worker_id FROM deployment_runs WHERE deployment_id = ANY(@Ids) AND {PhaseSql(kind.Phase)} LIMIT 1";
            var still = $"SELECT id, status, worker_id FROM deployment_runs WHERE id = @Id AND {PhaseSql(kind.Phase)}";
            while (true)
            {
                if (stop.IsCancellationRequested || DateTime.UtcNow > until) return $"no fault: no run reached {kind.Phase.ToString().ToLowerInvariant()}";
                target = (await db.TryQuery<PhaseRow>(sql, new { Ids = deploymentIds }))?.FirstOrDefault();
                if (target is null) { await Task.Delay(40, CancellationToken.None); continue; }
                // Plans are stretched to ~2–3 s, applies to ~3 s, approvals wait ~1–2 s.
                var jitter = kind.Phase switch { Phase.Planning => random.Next(0, 1200), Phase.Approval => random.Next(0, 500), _ => random.Next(0, 1800) };
                await Task.Delay(jitter, CancellationToken.None);
                await gate.WaitAsync(CancellationToken.None);
                var now = (await db.TryQuery<PhaseRow>(still, new { target.Id }))?.FirstOrDefault();
                if (now is not null)
                {
                    target = now;
                    at = $" while run …{target.Id.ToString()[^12..]} was {target.Status}";
                    break;
                }
                gate.Release();
            }
        }

        // The gate is held from here.
        try
        {
            var down = TimeSpan.FromMilliseconds(random.Next(300, 3000));
            var start = DateTime.UtcNow;
            var owner = cluster.SlotOfWorkerId(target?.WorkerId);
            var slot = owner ?? random.Next(cluster.Workers.Length);
            string done;
            switch (kind.Action)
            {
                case FaultAction.KillWorker:
                case FaultAction.KillWorkerTree:
                {
                    var pid = cluster.Workers[slot]!.Pid;
                    var left = await cluster.KillWorker(slot, kind.Action == FaultAction.KillWorkerTree, down);
                    await TrackOrphans(left, start);
                    ReportOrphans(left, $"worker{slot} (pid {pid})", violations);
                    done = $"{(kind.Action == FaultAction.KillWorkerTree ? "kill -9 -pgid" : "kill -9")} worker{slot} (pid {pid}{(owner is null ? ", not the run's owner" : ", the run's owner")}){at}, replaced after {down.TotalSeconds:0.0} s{(left.Count > 0 ? $"; {left.Count} orphaned terraform/sh processes lived on" : "")}";
                    break;
                }
                case FaultAction.KillAllWorkers:
                {
                    var left = await cluster.KillAllWorkers(down);
                    await TrackOrphans(left, start);
                    ReportOrphans(left, "both workers", violations);
                    done = $"kill -9 of both workers{at}, replaced after {down.TotalSeconds:0.0} s";
                    break;
                }
                case FaultAction.StopWorker:
                {
                    var pid = cluster.Workers[slot]!.Pid;
                    await cluster.StopWorkerGracefully(slot, down);
                    done = $"SIGTERM worker{slot} (pid {pid}){at}, replaced after {down.TotalSeconds:0.0} s";
                    break;
                }
                case FaultAction.KillApi:
                case FaultAction.StopApi:
                    await cluster.RestartApi(hard: kind.Action == FaultAction.KillApi);
                    done = $"{(kind.Action == FaultAction.KillApi ? "kill -9" : "SIGTERM")} + restart of the API{at}";
                    break;
                default:
                    await cluster.RestartPostgres();
                    done = $"pg_ctl restart -m immediate{at}";
                    break;
            }
            lock (statsLock)
            {
                Struck[kind.Name] = Struck.GetValueOrDefault(kind.Name) + 1;
                timeline.Add((kind.Action, start, DateTime.UtcNow));
            }
            return done;
        }
        catch (Exception e)
        {
            return $"fault {kind.Name} failed to inject: {e.Message}";
        }
        finally
        {
            try { await cluster.WaitApiReady(TimeSpan.FromSeconds(60)); } catch (Exception) { }
            gate.Release();
        }
    }
}
