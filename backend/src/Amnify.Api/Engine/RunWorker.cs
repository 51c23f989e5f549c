using Amnify.Api.Telemetry;
using Dapper;
using Microsoft.Extensions.Options;
using Npgsql;

namespace Amnify.Api.Engine;

/// <summary>
/// Claims runs with <c>FOR UPDATE SKIP LOCKED</c> under a lease it renews, so any number of workers can
/// share one database; wakes at once on NOTIFY (polling only as a fallback); and sweeps expired leases:
/// a run whose worker died before applying goes back to the queue, one that was applying fails as
/// interrupted (it is never applied twice).
/// </summary>
public sealed class RunWorker(
    NpgsqlDataSource dataSource, RunTransitions transitions, RunExecutor executor, IOptions<EngineOptions> options,
    ILogger<RunWorker> log) : BackgroundService
{
    public string WorkerId { get; } = $"{Environment.MachineName}:{Environment.ProcessId}:{Guid.NewGuid().ToString("N")[..6]}";

    // Spelled as M0003's partial index deployment_runs_claimable is, so the claim reads that index.
    private const string NextClaimable = $"""
        SELECT id, deployment_id, status, queued_at FROM deployment_runs
        WHERE status = 'queued' OR (status IN ({RunStatuses.Sql.ChangingCloud}) AND apply_started_at IS NULL)
        ORDER BY queued_at, id
        LIMIT 1
        FOR UPDATE SKIP LOCKED
        """;

    // Another run holds the deployment, or an earlier one is still in line for it.
    private const string DeploymentBusy = $"""
        SELECT EXISTS (
            SELECT 1 FROM deployment_runs
            WHERE deployment_id = @DeploymentId AND id <> @Id
              AND (status IN ({RunStatuses.Sql.HoldsLock})
                   OR (status IN ({RunStatuses.Sql.InLine}) AND (queued_at, id) < (@QueuedAt, @Id))))
        """;

    private const string RenewLease = $"""
        UPDATE deployment_runs SET lease_expires_at = now() + make_interval(secs => @LeaseSeconds)
        WHERE id = @Id AND worker_id = @Worker AND status IN ({RunStatuses.Sql.Working})
        """;

    private const string Expired = """
        SELECT id, status, attempt FROM deployment_runs
        WHERE worker_id IS NOT NULL AND lease_expires_at < now()
        FOR UPDATE SKIP LOCKED
        """;

    // Spelled as M0011's partial index deployment_runs_awaiting is, so the sweep reads that index.
    private const string TimedOutGates = $"""
        SELECT id FROM deployment_runs
        WHERE status IN ({RunStatuses.Sql.AwaitingApproval}){ApprovalPolicy.GateTimedOut}
        ORDER BY COALESCE(plan_approved_at, planned_at), id
        LIMIT 100
        FOR UPDATE SKIP LOCKED
        """;

    private sealed record Candidate
    {
        public required Guid Id { get; init; }
        public required Guid DeploymentId { get; init; }
        public required RunStatus Status { get; init; }
        public required DateTimeOffset QueuedAt { get; init; }
    }

    private sealed record ExpiredRun
    {
        public required Guid Id { get; init; }
        public required RunStatus Status { get; init; }
        public required int Attempt { get; init; }
    }

    private enum Phase { Plan, Apply }

    private readonly SemaphoreSlim wake = new(0);
    private EngineOptions Options => options.Value;

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        log.LogInformation("Worker {WorkerId} started (concurrency {Concurrency})", WorkerId, Options.Concurrency);
        var listen = Listen(stoppingToken);
        var sweep = SweepLoop(stoppingToken);
        var slots = new SemaphoreSlim(Options.Concurrency);
        var running = new List<Task>();
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                await slots.WaitAsync(stoppingToken);
                (Guid Id, Phase Phase)? claimed;
                try
                {
                    claimed = await ClaimNext(stoppingToken);
                }
                catch
                {
                    // A claim that failed (the database restarting) took no run: its slot must come back, or each
                    // outage leaves the worker one run short until it claims nothing at all.
                    slots.Release();
                    throw;
                }
                if (claimed is null)
                {
                    slots.Release();
                    await WaitForWork(stoppingToken);
                    continue;
                }
                running.RemoveAll(t => t.IsCompleted);
                running.Add(Task.Run(async () =>
                {
                    try { await Work(claimed.Value.Id, claimed.Value.Phase, stoppingToken); }
                    finally { slots.Release(); }
                }, CancellationToken.None));
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                break;
            }
            catch (Exception e) when (e is NpgsqlException or TimeoutException)
            {
                log.LogWarning(e, "Worker {WorkerId}: database unavailable, retrying", WorkerId);
                await Delay(TimeSpan.FromSeconds(1), stoppingToken);
            }
        }
        await Task.WhenAll(running);
        await Task.WhenAll(listen, sweep);
    }

    /// <summary>Takes the oldest claimable run, or puts it in line when its deployment is busy.</summary>
    private async Task<(Guid Id, Phase Phase)?> ClaimNext(CancellationToken cancellationToken)
    {
        while (true)
        {
            await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
            await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
            var candidate = await connection.QuerySingleOrDefaultAsync<Candidate>(new CommandDefinition(NextClaimable, transaction: transaction, cancellationToken: cancellationToken));
            if (candidate is null) return null;

            if (candidate.Status != RunStatus.Queued)
            {
                var begun = await transitions.BeginApply(connection, transaction, new RunTransitions.Lease(candidate.Id, WorkerId, Options.LeaseSeconds), cancellationToken);
                await transaction.CommitAndNotify(cancellationToken);
                if (begun is not null) return (candidate.Id, Phase.Apply);
                continue;
            }

            if (await connection.ExecuteScalarAsync<bool>(new CommandDefinition(DeploymentBusy, candidate, transaction, cancellationToken: cancellationToken)))
            {
                await transitions.Wait(connection, transaction, new RunTransitions.Plain(candidate.Id), cancellationToken);
                await transaction.CommitAndNotify(cancellationToken);
                continue;
            }
            try
            {
                var claimed = await transitions.Claim(connection, transaction, new RunTransitions.Lease(candidate.Id, WorkerId, Options.LeaseSeconds), cancellationToken);
                await transaction.CommitAndNotify(cancellationToken);
                if (claimed is not null) return (candidate.Id, Phase.Plan);
            }
            catch (PostgresException e) when (e.SqlState == PostgresErrorCodes.UniqueViolation)
            {
                // Another worker took the deployment's lock in the same instant; this run waits its turn next round.
                return null;
            }
        }
    }

    private async Task Work(Guid runId, Phase phase, CancellationToken stoppingToken)
    {
        // Planning stops with the worker (the run is handed back); an apply is never interrupted on purpose.
        using var run = phase == Phase.Plan
            ? CancellationTokenSource.CreateLinkedTokenSource(stoppingToken)
            : new CancellationTokenSource();
        using var leaseStop = new CancellationTokenSource();
        var lease = KeepLease(runId, run, leaseStop.Token);
        try
        {
            using var work = RunTracing.Work(runId, phase.ToString().ToLowerInvariant(), await RunTracing.TraceParentOf(dataSource, runId, run.Token));
            if (phase == Phase.Plan) await executor.Plan(runId, WorkerId, run.Token);
            else await executor.Apply(runId, WorkerId, run.Token);
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested && phase == Phase.Plan)
        {
            await Hand(runId, RunTrigger.Requeue, (c, t) => transitions.Requeue(c, t, new RunTransitions.Requeued(runId, OwnedBy: WorkerId)));
            log.LogInformation("Run {RunId} handed back to the queue at shutdown", runId);
        }
        catch (OperationCanceledException) when (run.IsCancellationRequested)
        {
            log.LogInformation("Run {RunId} stopped: it was cancelled or taken over", runId);
        }
        catch (NpgsqlException e) when (phase == Phase.Plan && e.IsTransient)
        {
            // The database went away mid-plan (a restart, a failover): nothing was applied, so the run starts over.
            log.LogWarning(e, "Run {RunId}: database lost while planning; handing it back to the queue", runId);
            await Hand(runId, RunTrigger.Requeue, (c, t) => transitions.Requeue(c, t, new RunTransitions.Requeued(runId, OwnedBy: WorkerId)));
        }
        catch (Exception e)
        {
            log.LogError(e, "Run {RunId} failed in the engine", runId);
            await Hand(runId, RunTrigger.Fail, (c, t) => transitions.Fail(c, t,
                new RunTransitions.Failed(runId, "The engine failed while working on this run; see the server log.", OwnedBy: WorkerId)));
        }
        finally
        {
            leaseStop.Cancel();
            await lease;
        }
    }

    /// <summary>Renews the lease while the work goes on; if the run was cancelled or taken over, stops the work.</summary>
    private async Task KeepLease(Guid runId, CancellationTokenSource run, CancellationToken stop)
    {
        var every = TimeSpan.FromSeconds(Math.Max(1, Options.LeaseSeconds / 3.0));
        while (!stop.IsCancellationRequested)
        {
            if (!await Delay(every, stop)) return;
            try
            {
                await using var connection = await dataSource.OpenConnectionAsync(stop);
                var renewed = await connection.ExecuteAsync(new CommandDefinition(RenewLease, new RunTransitions.Lease(runId, WorkerId, Options.LeaseSeconds), cancellationToken: stop));
                AmnifyMetrics.RecordLeaseRenewal(renewed > 0);
                if (renewed == 0) await run.CancelAsync();
            }
            catch (Exception e) when (e is NpgsqlException or OperationCanceledException)
            {
                if (e is NpgsqlException) AmnifyMetrics.RecordLeaseRenewalFailed();
                // A missed renewal is survivable; the lease outlasts a few of them.
            }
        }
    }

    private async Task SweepLoop(CancellationToken stoppingToken)
    {
        while (await Delay(TimeSpan.FromSeconds(Math.Max(1, Options.LeaseSeconds / 3.0)), stoppingToken))
        {
            try { await SweepExpiredLeases(stoppingToken); }
            catch (NpgsqlException e) { log.LogWarning(e, "Lease sweep failed"); }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested) { return; }
            try { await ExpireWaitingGates(stoppingToken); }
            catch (NpgsqlException e) { log.LogWarning(e, "Approval expiry sweep failed"); }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested) { return; }
        }
    }

    /// <summary>Runs whose worker stopped renewing: planning starts over elsewhere, an apply in flight fails as interrupted.</summary>
    public async Task SweepExpiredLeases(CancellationToken cancellationToken = default)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        foreach (var run in await connection.QueryAsync<ExpiredRun>(new CommandDefinition(Expired, transaction: transaction, cancellationToken: cancellationToken)))
        {
            if (run.Status is RunStatus.Applying or RunStatus.Destroying)
                await transitions.Fail(connection, transaction, new RunTransitions.Failed(run.Id,
                    "interrupted: the worker stopped while this run was applying. The cloud may be partly changed; " +
                    "review the state, then start a new run (this plan is never applied again)."), cancellationToken);
            else if (run.Attempt >= Options.MaxAttempts)
                await transitions.Fail(connection, transaction, new RunTransitions.Failed(run.Id,
                    $"interrupted: workers stopped {run.Attempt} times before the plan finished; giving up."), cancellationToken);
            else
                await transitions.Requeue(connection, transaction, new RunTransitions.Requeued(run.Id), cancellationToken);
            log.LogWarning("Run {RunId}: lease expired while {Status}", run.Id, run.Status);
            AmnifyMetrics.RecordLeaseExpired();
        }
        await transaction.CommitAndNotify(cancellationToken);
    }

    /// <summary>Runs whose gate waited longer than their approval policy allows end expired (a pipeline run with them).</summary>
    public async Task ExpireWaitingGates(CancellationToken cancellationToken = default)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        foreach (var id in await connection.QueryAsync<Guid>(new CommandDefinition(TimedOutGates, transaction: transaction, cancellationToken: cancellationToken)))
        {
            if (await transitions.Expire(connection, transaction, new RunTransitions.Plain(id), cancellationToken) is not null)
                log.LogInformation("Run {RunId}: approval expired", id);
        }
        await transaction.CommitAndNotify(cancellationToken);
    }

    /// <summary>
    /// Gives a run back or fails it; if the database is away, the lease sweep does it later instead. Never cancelled:
    /// it runs when the worker stops, and a run handed back at shutdown must be recorded.
    /// </summary>
    private async Task Hand(Guid runId, RunTrigger trigger, Func<NpgsqlConnection, NpgsqlTransaction, Task<TransitionedRun?>> transition)
    {
        try
        {
            await using var connection = await dataSource.OpenConnectionAsync();
            await using var transaction = await connection.BeginTransactionAsync();
            await transition(connection, transaction);
            await transaction.CommitAndNotify();
        }
        catch (NpgsqlException e)
        {
            log.LogWarning(e, "Run {RunId}: could not record {Trigger}; its lease will expire and the sweep takes over", runId, trigger);
        }
    }

    private async Task WaitForWork(CancellationToken stoppingToken)
    {
        try { await wake.WaitAsync(TimeSpan.FromSeconds(Options.PollSeconds), stoppingToken); }
        catch (OperationCanceledException) { }
    }

    /// <summary>
    /// At most one wake-up pending, however many NOTIFYs came meanwhile: the claim that follows takes every claimable
    /// run there is (it loops until none is left), so counting each NOTIFY would only add claims that find nothing.
    /// </summary>
    private void Wake()
    {
        lock (wake)
            if (wake.CurrentCount == 0) wake.Release();
    }

    /// <summary>LISTEN on the queue channel: a new or approved run wakes an idle worker at once.</summary>
    private async Task Listen(CancellationToken stoppingToken)
    {
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                await using var connection = await dataSource.OpenConnectionAsync(stoppingToken);
                connection.Notification += (_, _) => Wake();
                await connection.ExecuteAsync(new CommandDefinition($"LISTEN {RunChannels.Queue}", cancellationToken: stoppingToken));
                Wake(); // anything queued while not listening
                while (!stoppingToken.IsCancellationRequested) await connection.WaitAsync(stoppingToken);
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception e) when (e is NpgsqlException or System.IO.IOException)
            {
                log.LogWarning("Worker {WorkerId}: queue listener lost ({Message}); reconnecting", WorkerId, e.Message);
                await Delay(TimeSpan.FromSeconds(1), stoppingToken);
            }
        }
    }

    private static async Task<bool> Delay(TimeSpan delay, CancellationToken ct)
    {
        try { await Task.Delay(delay, ct); return true; }
        catch (OperationCanceledException) { return false; }
    }
}
