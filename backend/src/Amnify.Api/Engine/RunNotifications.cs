using System.Runtime.CompilerServices;
using Dapper;
using Npgsql;

namespace Amnify.Api.Engine;

/// <summary>
/// The NOTIFYs a transaction owes its listeners, sent right after it commits instead of inside it. PostgreSQL holds its one
/// NOTIFY queue lock from a notifying transaction's pre-commit to the end of its commit, WAL flush included, so notifying
/// inside each transition made the commits of every run on every worker go one at a time. Sent by a statement of its own
/// after the commit (it writes nothing, so its commit flushes no WAL), the lock is held for microseconds; the NOTIFYs of
/// one transaction go out together, each channel and payload once.
///
/// A crash between the commit and the NOTIFY loses it, never the change: workers also poll for work
/// (<see cref="EngineOptions.PollSeconds"/>), live views re-read the run at each heartbeat, webhooks are delivered from
/// their table, and the listeners only ever re-read what committed. What a transaction that rolled back owed is dropped
/// with it, or, where Npgsql hands the same transaction object to the connection's next transaction, sent with that one's
/// commit: a spurious wake-up, which costs a listener one re-read.
/// </summary>
public static class RunNotifications
{
    private static readonly ConditionalWeakTable<NpgsqlTransaction, HashSet<(string Channel, string Payload)>> Owed = new();

    private const string Send = "SELECT pg_notify(n.channel, n.payload) FROM unnest(@Channels::text[], @Payloads::text[]) AS n(channel, payload)";

    /// <summary>Once <paramref name="transaction"/> commits, wake the workers: a run was queued or approved.</summary>
    public static void WakeWorkers(NpgsqlTransaction transaction) => Add(transaction, RunChannels.Queue, "");

    /// <summary>Once <paramref name="transaction"/> commits, tell live views that run (or pipeline run) <paramref name="id"/> changed.</summary>
    public static void Announce(NpgsqlTransaction transaction, Guid id) => Add(transaction, RunChannels.Events, id.ToString());

    private static void Add(NpgsqlTransaction transaction, string channel, string payload)
    {
        var owed = Owed.GetOrCreateValue(transaction);
        lock (owed) owed.Add((channel, payload));
    }

    /// <summary>
    /// Commits, then sends what the transaction owes. The sending is never cancelled: the change is committed, and a
    /// caller that went away must not leave the workers and live views unaware of it. Nor does a failed send fail the
    /// caller: the change stands (an approval answered 500 would be given again), and the listeners' polling finds it.
    /// </summary>
    public static async Task CommitAndNotify(this NpgsqlTransaction transaction, CancellationToken cancellationToken = default)
    {
        var connection = transaction.Connection ?? throw new InvalidOperationException("The transaction has already ended.");
        await transaction.CommitAsync(cancellationToken);
        if (!Owed.TryGetValue(transaction, out var owed)) return;
        Owed.Remove(transaction);
        try
        {
            await Notify(connection, owed);
        }
        catch (NpgsqlException)
        {
            // The database went away right after the commit: the same as a crash between commit and NOTIFY (above).
        }
    }

    /// <summary>Sends NOTIFYs now, outside any transaction (for a statement that committed on its own).</summary>
    public static async Task Notify(NpgsqlConnection connection, IReadOnlyCollection<(string Channel, string Payload)> notifications)
    {
        if (notifications.Count == 0) return;
        await connection.ExecuteAsync(new CommandDefinition(Send, new
        {
            Channels = notifications.Select(n => n.Channel).ToArray(),
            Payloads = notifications.Select(n => n.Payload).ToArray(),
        }, cancellationToken: CancellationToken.None));
    }
}
