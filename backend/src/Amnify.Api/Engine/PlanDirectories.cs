using System.Collections.Concurrent;
using Dapper;
using Microsoft.Extensions.Options;
using Npgsql;

namespace Amnify.Api.Engine;

/// <summary>
/// The run directories this worker process planned in, kept while their runs wait for approval, so that when the
/// same process applies, it applies in the plan's own directory: its <c>.terraform</c> (backend, providers,
/// modules) is ready and <c>init</c> is not run again. What a kept directory no longer holds: the variables file
/// and the plan file (the apply writes the approved plan again, from the database, after its hash check).
/// A directory is discarded as soon as its run can no longer be applied (cancelled, failed, rejected, expired,
/// or applied by another worker), checked every few seconds, and at shutdown; past <see cref="MaxKept"/> the
/// oldest goes first, so a pile of runs waiting for approval cannot fill the disk (each holds its own providers).
/// <para>
/// It also holds the directories prepared for a pipeline run's next step while the current one waits or applies
/// (<see cref="Prepare"/>): template files and backend written, <c>init</c> run, no variables. One per pipeline run,
/// used only by a run of exactly the deployment, template version and cloud environment it was made for
/// (<see cref="PreparedFor"/>), discarded when its pipeline run is no longer active, after <see cref="PreparedLifetime"/>,
/// past <see cref="MaxKept"/> (oldest first) and at shutdown.
/// </para>
/// </summary>
public sealed class PlanDirectories(NpgsqlDataSource dataSource, IOptions<EngineOptions> options, ILogger<PlanDirectories> log) : BackgroundService
{
    /// <summary>Four per run slot: enough for the runs a busy worker sees waiting, bounded by the machine's size.</summary>
    public int MaxKept => Math.Max(1, options.Value.Concurrency * 4);

    /// <summary>The runs whose plan directory may still serve their apply: waiting for approval, or approved and not begun.</summary>
    private const string StillApplicable = $"""
        SELECT id FROM deployment_runs
        WHERE id = ANY(@Ids) AND (status IN ({RunStatuses.Sql.AwaitingApproval})
              OR (status IN ({RunStatuses.Sql.ChangingCloud}) AND apply_started_at IS NULL))
        """;

    /// <summary>The pipeline runs a prepared directory may still serve: the next step can only start while the run is active.</summary>
    private const string StillActive = $"""
        SELECT id FROM pipeline_runs WHERE id = ANY(@Ids) AND status IN ({RunStatuses.Sql.PipelineActive})
        """;

    private sealed record Runs(Guid[] Ids);

    /// <summary>Past this a preparation is not worth its disk: an approval that slow makes one init irrelevant.</summary>
    public static readonly TimeSpan PreparedLifetime = TimeSpan.FromHours(1);

    private readonly ConcurrentDictionary<Guid, (string Dir, long Order)> kept = new();
    private readonly ConcurrentDictionary<Guid, Preparation> preparations = new();
    private long order;

    /// <summary>A preparation under way or done; <see cref="Ready"/> never throws and answers null when it did not succeed.</summary>
    private sealed record Preparation(Task<PreparedDirectory?> Ready, CancellationTokenSource Stop, DateTimeOffset Since, long Order);

    /// <summary>Keeps the directory a plan with changes was made in, without the files that hold values.</summary>
    public void Keep(Guid runId, string dir)
    {
        foreach (var file in new[] { "terraform.tfvars.json", "plan.tfplan" }) File.Delete(Path.Combine(dir, file));
        kept[runId] = (dir, Interlocked.Increment(ref order));
        // ToArray first: LINQ would copy a live ConcurrentDictionary through CopyTo, which throws when another thread adds meanwhile.
        foreach (var (id, _) in kept.ToArray().OrderBy(k => k.Value.Order).SkipLast(MaxKept)) Discard(id);
    }

    /// <summary>The plan's directory for its apply, if this process planned the run and still holds it; the caller owns it now.</summary>
    public string? Take(Guid runId) =>
        kept.TryRemove(runId, out var entry) && Directory.Exists(entry.Dir) ? entry.Dir : null;

    /// <summary>
    /// Starts preparing the next step of <paramref name="pipelineRunId"/> in the background; <paramref name="prepare"/> owns its
    /// directory until it answers (null when it did not succeed, having deleted what it made) and stops when its token is cancelled.
    /// </summary>
    public void Prepare(Guid pipelineRunId, Func<CancellationToken, Task<PreparedDirectory?>> prepare)
    {
        var stop = new CancellationTokenSource();
        var ready = Task.Run(async () =>
        {
            try { return await prepare(stop.Token); }
            catch (Exception e)
            {
                if (!stop.IsCancellationRequested) log.LogWarning(e, "Preparing the next step of pipeline run {PipelineRunId} failed; it will init as usual", pipelineRunId);
                return null;
            }
        }, CancellationToken.None);
        if (preparations.TryRemove(pipelineRunId, out var earlier)) _ = Forget(earlier);
        preparations[pipelineRunId] = new Preparation(ready, stop, DateTimeOffset.UtcNow, Interlocked.Increment(ref order));
        foreach (var (id, _) in preparations.ToArray().OrderBy(p => p.Value.Order).SkipLast(MaxKept)) _ = ForgetPreparation(id);
    }

    /// <summary>
    /// The directory prepared for this run's step, waiting for a preparation still under way (it is further along than a
    /// fresh init would be); null when there is none, it failed, or it was made for anything but exactly <paramref name="key"/>.
    /// The caller owns the directory now.
    /// </summary>
    public async Task<PreparedDirectory?> TakePrepared(PreparedFor key, CancellationToken cancellationToken)
    {
        if (!preparations.TryRemove(key.PipelineRunId, out var preparation)) return null;
        PreparedDirectory? ready;
        try { ready = await preparation.Ready.WaitAsync(cancellationToken); }
        catch (OperationCanceledException)
        {
            _ = Forget(preparation);
            throw;
        }
        preparation.Stop.Dispose();
        if (ready is not null && ready.Key == key && Directory.Exists(ready.Dir)) return ready;
        if (ready is not null) Delete(ready.Dir);
        return null;
    }

    /// <summary>Discards the directories whose runs can no longer be applied, and the preparations whose pipeline runs ended or expired.</summary>
    public async Task Prune(CancellationToken cancellationToken)
    {
        foreach (var (id, _) in preparations.Where(p => DateTimeOffset.UtcNow - p.Value.Since > PreparedLifetime).ToArray()) _ = ForgetPreparation(id);
        var ids = kept.Keys.ToArray();
        var pipelineRuns = preparations.Keys.ToArray();
        if (ids.Length == 0 && pipelineRuns.Length == 0) return;
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        var live = (await connection.QueryAsync<Guid>(new CommandDefinition(StillApplicable, new Runs(ids), cancellationToken: cancellationToken))).ToHashSet();
        foreach (var id in ids.Where(id => !live.Contains(id))) Discard(id);
        var active = (await connection.QueryAsync<Guid>(new CommandDefinition(StillActive, new Runs(pipelineRuns), cancellationToken: cancellationToken))).ToHashSet();
        foreach (var id in pipelineRuns.Where(id => !active.Contains(id))) _ = ForgetPreparation(id);
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(TimeSpan.FromSeconds(5));
        try
        {
            while (await timer.WaitForNextTickAsync(stoppingToken))
            {
                try { await Prune(stoppingToken); }
                catch (NpgsqlException e) { log.LogWarning(e, "Could not check the kept plan directories; trying again shortly"); }
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
        finally
        {
            foreach (var id in kept.Keys) Discard(id);
            var stopping = preparations.Keys.Select(ForgetPreparation).ToArray();
            // A cancelled init is killed at once; waiting for it lets its directory go before the process does.
            await Task.WhenAny(Task.WhenAll(stopping), Task.Delay(TimeSpan.FromSeconds(10), CancellationToken.None));
        }
    }

    private void Discard(Guid runId)
    {
        if (kept.TryRemove(runId, out var entry)) Delete(entry.Dir);
    }

    private Task ForgetPreparation(Guid pipelineRunId) =>
        preparations.TryRemove(pipelineRunId, out var preparation) ? Forget(preparation) : Task.CompletedTask;

    /// <summary>Stops a preparation and deletes its directory, now or when it answers.</summary>
    private static async Task Forget(Preparation preparation)
    {
        await preparation.Stop.CancelAsync();
        if (await preparation.Ready is { } ready) Delete(ready.Dir);
        preparation.Stop.Dispose();
    }

    public static void Delete(string dir)
    {
        try { Directory.Delete(dir, recursive: true); } catch (IOException) { } catch (UnauthorizedAccessException) { }
    }
}

/// <summary>What a prepared directory was made for: a run of this deployment, template version and cloud environment in this pipeline run.</summary>
public sealed record PreparedFor(Guid PipelineRunId, Guid DeploymentId, Guid TemplateVersionId, Guid CloudEnvironmentId);

/// <summary>A directory with the template files and backend written and <c>init</c> run; <see cref="InitLog"/> is what init printed.</summary>
public sealed record PreparedDirectory(PreparedFor Key, string Dir, IReadOnlyList<string> InitLog);
