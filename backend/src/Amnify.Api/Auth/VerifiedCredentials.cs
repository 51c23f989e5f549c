using System.Collections.Concurrent;
using System.Diagnostics;
using Npgsql;

namespace Amnify.Api.Auth;

/// <summary>
/// Verified credentials (token and session lookups) kept in memory for a few seconds, so a request costs no
/// database round trip to authenticate. Correctness rests on eviction, not on the short lifetime:
/// <list type="bullet">
/// <item>every change to a credential (revoked, expired, deleted; its user's role, email or disabled flag) sends a
/// NOTIFY from a trigger in its own transaction (M0015), and every process listening evicts everything;</item>
/// <item>a use case that revokes (<see cref="EvictEverywhere"/>) answers only after every listening process has
/// acknowledged its eviction — or after the cache lifetime, by which every entry read before the change has died —
/// so a revoked token never works after the answer to its revocation, in any process;</item>
/// <item>nothing is cached while this process is not listening (it has not started, or lost its connection), and an
/// entry read before an eviction is never stored after it (the generation check).</item>
/// </list>
/// Unknown credentials are never cached. The listener starts with the first lookup, so a worker holds none.
/// </summary>
public sealed class VerifiedCredentials(IConfiguration configuration, ILogger<VerifiedCredentials> log) : BackgroundService
{
    public const string Channel = "amnify_credentials";
    /// <summary>The application name of each process's listening connection: the revoker waits for exactly these.</summary>
    public const string ListenerName = "amnify-credential-listener";

    private const string Barrier = $"""
        SELECT pg_notify('{Channel}', 'barrier:' || @Id),
               array(SELECT pid FROM pg_stat_activity WHERE application_name = '{ListenerName}' AND datname = current_database())
        """;

    private readonly TimeSpan lifetime = TimeSpan.FromSeconds(configuration.GetValue("Auth:CredentialCacheSeconds", 5.0));
    private readonly ConcurrentDictionary<string, Entry> entries = new();
    private readonly ConcurrentDictionary<Guid, Acks> waiting = new();
    private readonly ConcurrentQueue<string> acksToSend = new();
    private readonly TaskCompletionSource wanted = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private long generation;
    private volatile bool listening;

    private sealed record Entry(object Value, long ReadAt, DateTimeOffset? ExpiresAt);

    /// <summary>The acknowledgements of one barrier; some may arrive before we know whose to expect.</summary>
    private sealed class Acks
    {
        private readonly HashSet<int> seen = [];
        private HashSet<int>? expected;
        public readonly TaskCompletionSource All = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public void From(int pid)
        {
            lock (seen) { seen.Add(pid); Check(); }
        }

        public void Expect(IEnumerable<int> pids)
        {
            lock (seen) { expected = pids.ToHashSet(); Check(); }
        }

        private void Check()
        {
            if (expected is not null && expected.IsSubsetOf(seen)) All.TrySetResult();
        }
    }

    /// <summary>Where a lookup starts: pass it to <see cref="Add"/> with what the database answered.</summary>
    public readonly record struct Ticket(long Generation, long ReadAt);

    /// <summary>Whether this process receives credential changes, so that it may cache.</summary>
    public bool Listening => listening;

    public Ticket Begin() => new(Interlocked.Read(ref generation), Stopwatch.GetTimestamp());

    public T? Find<T>(string key, DateTimeOffset now) where T : class
    {
        wanted.TrySetResult();
        if (!listening || !entries.TryGetValue(key, out var entry)) return null;
        if (Stopwatch.GetElapsedTime(entry.ReadAt) >= lifetime || entry.ExpiresAt <= now)
        {
            entries.TryRemove(new KeyValuePair<string, Entry>(key, entry));
            return null;
        }
        return entry.Value as T;
    }

    /// <summary>Keeps a credential the database vouched for, unless an eviction happened since the lookup began.</summary>
    public void Add(string key, object value, DateTimeOffset? expiresAt, Ticket ticket)
    {
        if (!listening || Interlocked.Read(ref generation) != ticket.Generation) return;
        entries[key] = new Entry(value, ticket.ReadAt, expiresAt);
        // An eviction between the check and the store must not miss this entry.
        if (Interlocked.Read(ref generation) != ticket.Generation) entries.TryRemove(key, out _);
    }

    private void EvictAll()
    {
        Interlocked.Increment(ref generation);
        entries.Clear();
    }

    /// <summary>
    /// Call after committing a change to credentials: returns once every process's cache has let go of what it held
    /// (each listener acknowledged), or, at worst, once the cache lifetime has passed.
    /// </summary>
    public async Task EvictEverywhere(NpgsqlConnection connection, CancellationToken cancellationToken)
    {
        EvictAll();
        var id = Guid.NewGuid();
        var started = Stopwatch.GetTimestamp();
        var acks = waiting[id] = new Acks();
        try
        {
            await using (var command = new NpgsqlCommand(Barrier, connection))
            {
                command.Parameters.AddWithValue("Id", id.ToString());
                await using var reader = await command.ExecuteReaderAsync(cancellationToken);
                await reader.ReadAsync(cancellationToken);
                acks.Expect(reader.GetFieldValue<int[]>(1));
            }
            // Without a listener of our own no acknowledgement reaches us: then the lifetime is the bound.
            var remaining = lifetime - Stopwatch.GetElapsedTime(started);
            if (remaining > TimeSpan.Zero)
                await acks.All.Task.WaitAsync(remaining, cancellationToken).ContinueWith(_ => { }, cancellationToken, TaskContinuationOptions.None, TaskScheduler.Default);
        }
        finally
        {
            waiting.TryRemove(id, out _);
        }
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        try
        {
            await wanted.Task.WaitAsync(stoppingToken);
            var connectionString = new NpgsqlConnectionStringBuilder(configuration.GetConnectionString("Amnify"))
            {
                Pooling = false, ApplicationName = ListenerName, KeepAlive = 5,
            }.ToString();
            while (!stoppingToken.IsCancellationRequested)
            {
                try
                {
                    await Listen(connectionString, stoppingToken);
                }
                catch (Exception e) when (e is not OperationCanceledException || !stoppingToken.IsCancellationRequested)
                {
                    log.LogWarning("The credential cache lost its listener and is off until it is back ({Message})", e.Message);
                }
                finally
                {
                    listening = false;
                    EvictAll();
                }
                await Task.Delay(TimeSpan.FromSeconds(1), stoppingToken);
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // Shutting down.
        }
    }

    private async Task Listen(string connectionString, CancellationToken stoppingToken)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync(stoppingToken);
        connection.Notification += (_, e) => Received(e.Payload);
        await using (var listen = new NpgsqlCommand($"LISTEN {Channel}", connection))
            await listen.ExecuteNonQueryAsync(stoppingToken);
        EvictAll();
        listening = true;
        var self = connection.ProcessID;
        while (true)
        {
            await connection.WaitAsync(stoppingToken);
            while (acksToSend.TryDequeue(out var barrier))
            {
                await using var ack = new NpgsqlCommand("SELECT pg_notify(@Channel, @Payload)", connection);
                ack.Parameters.AddWithValue("Channel", Channel);
                ack.Parameters.AddWithValue("Payload", $"ack:{barrier}:{self}");
                await ack.ExecuteNonQueryAsync(stoppingToken);
            }
        }
    }

    private void Received(string payload)
    {
        if (payload.StartsWith("ack:", StringComparison.Ordinal))
        {
            var parts = payload.Split(':');
            if (parts.Length == 3 && Guid.TryParse(parts[1], out var id) && int.TryParse(parts[2], out var pid) && waiting.TryGetValue(id, out var acks))
                acks.From(pid);
            return;
        }
        EvictAll();
        if (payload.StartsWith("barrier:", StringComparison.Ordinal)) acksToSend.Enqueue(payload["barrier:".Length..]);
    }
}
