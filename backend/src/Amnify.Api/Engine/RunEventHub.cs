using System.Collections.Concurrent;
using Dapper;
using Npgsql;

namespace Amnify.Api.Engine;

/// <summary>
/// One LISTEN connection per process on the events channel; live views (SSE) wait here for "something
/// happened to run X" instead of each polling the database.
/// </summary>
public sealed class RunEventHub(NpgsqlDataSource dataSource, ILogger<RunEventHub> log) : BackgroundService
{
    private readonly ConcurrentDictionary<Guid, TaskCompletionSource> waiting = new();

    /// <summary>Completes when the next event of <paramref name="id"/> is announced, or after <paramref name="timeout"/>.</summary>
    public async Task WaitForEvent(Guid id, TimeSpan timeout, CancellationToken cancellationToken)
    {
        var signal = waiting.GetOrAdd(id, _ => new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously));
        try { await signal.Task.WaitAsync(timeout, cancellationToken); }
        catch (TimeoutException) { }
    }

    private void Announce(string payload)
    {
        if (Guid.TryParse(payload, out var id) && waiting.TryRemove(id, out var signal)) signal.TrySetResult();
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                await using var connection = await dataSource.OpenConnectionAsync(stoppingToken);
                connection.Notification += (_, e) => Announce(e.Payload);
                await connection.ExecuteAsync(new CommandDefinition($"LISTEN {RunChannels.Events}", cancellationToken: stoppingToken));
                while (!stoppingToken.IsCancellationRequested) await connection.WaitAsync(stoppingToken);
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception e) when (e is NpgsqlException or IOException)
            {
                log.LogWarning("Run event listener lost ({Message}); reconnecting", e.Message);
                // Wake every waiter so live views re-read instead of missing what happened meanwhile.
                foreach (var id in waiting.Keys) Announce(id.ToString());
                try { await Task.Delay(1000, stoppingToken); } catch (OperationCanceledException) { return; }
            }
        }
    }
}
