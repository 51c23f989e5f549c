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

    private sealed record Runs(Guid[] Ids);

    private readonly ConcurrentDictionary<Guid, (string Dir, long Order)> kept = new();
    private long order;

    /// <summary>Keeps the directory a plan with changes was made in, without the files that hold values.</summary>
    public void Keep(Guid runId, string dir)
    {
        foreach (var file in new[] { "terraform.tfvars.json", "plan.tfplan" }) File.Delete(Path.Combine(dir, file));
        kept[runId] = (dir, Interlocked.Increment(ref order));
        foreach (var (id, _) in kept.OrderBy(k => k.Value.Order).SkipLast(MaxKept).ToArray()) Discard(id);
    }

    /// <summary>The plan's directory for its apply, if this process planned the run and still holds it; the caller owns it now.</summary>
    public string? Take(Guid runId) =>
        kept.TryRemove(runId, out var entry) && Directory.Exists(entry.Dir) ? entry.Dir : null;

    /// <summary>Discards the directories whose runs can no longer be applied.</summary>
    public async Task Prune(CancellationToken cancellationToken)
    {
        var ids = kept.Keys.ToArray();
        if (ids.Length == 0) return;
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        var live = (await connection.QueryAsync<Guid>(new CommandDefinition(StillApplicable, new Runs(ids), cancellationToken: cancellationToken))).ToHashSet();
        foreach (var id in ids.Where(id => !live.Contains(id))) Discard(id);
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
        }
    }

    private void Discard(Guid runId)
    {
        if (kept.TryRemove(runId, out var entry)) Delete(entry.Dir);
    }

    public static void Delete(string dir)
    {
        try { Directory.Delete(dir, recursive: true); } catch (IOException) { } catch (UnauthorizedAccessException) { }
    }
}
