using System.Collections.Concurrent;
using Amnify.Api.Database;
using Dapper;

namespace Amnify.Api.Auth;

/// <summary>
/// An API token's last-used time, off the request path: a token's first use is written at once (so a new token
/// shows it has been used), later ones to the minute, for all tokens together in one UPDATE every few seconds
/// and at shutdown.
/// </summary>
public sealed class TokenUsage(Db db, ILogger<TokenUsage> log) : BackgroundService
{
    private const string TouchTokens = "UPDATE api_tokens SET last_used_at = now() WHERE id = ANY(@Ids)";

    private static readonly TimeSpan Resolution = TimeSpan.FromMinutes(1);
    private static readonly TimeSpan FlushEvery = TimeSpan.FromSeconds(5);

    private readonly ConcurrentDictionary<Guid, DateTimeOffset> touched = new();
    private readonly ConcurrentDictionary<Guid, byte> pending = new();

    /// <summary>Whether this use is the token's first, which the caller writes itself; later uses are batched.</summary>
    public bool Used(Guid token, DateTimeOffset? storedLastUse, DateTimeOffset now)
    {
        var last = touched.GetOrAdd(token, storedLastUse ?? DateTimeOffset.MinValue);
        if (now - last < Resolution) return false;
        if (!touched.TryUpdate(token, now, last)) return false; // another request of this token got here first
        if (last == DateTimeOffset.MinValue) return true;
        pending.TryAdd(token, 0);
        return false;
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(FlushEvery);
        try
        {
            while (await timer.WaitForNextTickAsync(stoppingToken)) await Flush(stoppingToken);
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // Shutting down: StopAsync writes what is left.
        }
    }

    public override async Task StopAsync(CancellationToken cancellationToken)
    {
        await base.StopAsync(cancellationToken);
        await Flush(cancellationToken);
    }

    private async Task Flush(CancellationToken cancellationToken)
    {
        var ids = pending.Keys.ToArray();
        if (ids.Length == 0) return;
        foreach (var id in ids) pending.TryRemove(id, out _);
        try
        {
            await using var connection = await db.Open(cancellationToken);
            await connection.ExecuteAsync(new CommandDefinition(TouchTokens, new { Ids = ids }, cancellationToken: cancellationToken));
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            // A last-used time is a hint: losing one minute of it is better than failing requests over it.
            log.LogWarning("Could not record the last use of {Count} token(s) ({Message})", ids.Length, e.Message);
        }
    }
}
