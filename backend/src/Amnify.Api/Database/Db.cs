using Npgsql;
using Polly;
using Polly.Retry;

namespace Amnify.Api.Database;

/// <summary>
/// The one way handlers reach PostgreSQL. Reads are retried on transient errors; writes are not
/// (they are made safe by conditional updates and idempotency keys, never by blind retries).
/// </summary>
public sealed class Db(NpgsqlDataSource dataSource)
{
    private static readonly ResiliencePipeline ReadRetry = new ResiliencePipelineBuilder()
        .AddRetry(new RetryStrategyOptions
        {
            ShouldHandle = new PredicateBuilder().Handle<NpgsqlException>(e => e.IsTransient),
            // About three seconds in all: enough to ride out a database restart or failover.
            MaxRetryAttempts = 5,
            Delay = TimeSpan.FromMilliseconds(100),
            BackoffType = DelayBackoffType.Exponential,
            UseJitter = true,
        })
        .Build();

    /// <summary>
    /// Runs <paramref name="query"/> on a connection of its own, retried on transient errors. The query gets the token
    /// to put in each command (<c>new CommandDefinition(…, cancellationToken: token)</c>), so a caller that goes away
    /// cancels the statement in PostgreSQL, not only the wait for it.
    /// </summary>
    public async Task<T> Read<T>(Func<NpgsqlConnection, CancellationToken, Task<T>> query, CancellationToken cancellationToken) =>
        await ReadRetry.ExecuteAsync(async ct =>
        {
            await using var connection = await dataSource.OpenConnectionAsync(ct);
            return await query(connection, ct);
        }, cancellationToken);

    public ValueTask<NpgsqlConnection> Open(CancellationToken cancellationToken) =>
        dataSource.OpenConnectionAsync(cancellationToken);
}
