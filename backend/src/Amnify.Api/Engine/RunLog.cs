using Amnify.Api.Terraform;
using Dapper;
using Npgsql;

namespace Amnify.Api.Engine;

/// <summary>
/// A run's log as the worker writes it: lines redacted of every secret, buffered, and appended in
/// batches as numbered events (the numbers are the SSE ids and the log offsets), with a NOTIFY so
/// live views show them at once.
/// </summary>
public sealed class RunLog(NpgsqlDataSource dataSource, Guid runId, Redactor redactor) : IAsyncDisposable
{
    // Log batches commit without waiting for their WAL flush, which would otherwise be most of a batch's cost. A crash
    // can lose at most the last fraction of a second of log lines, never a state change (transitions commit synchronously,
    // and each flushes the WAL up to itself, batches before it included). The NOTIFY follows the commit (RunNotifications).
    private const string Append = """
        SELECT set_config('synchronous_commit', 'off', true);
        WITH numbered AS (
            UPDATE deployment_runs SET event_seq = event_seq + cardinality(@Texts::text[]) WHERE id = @Id RETURNING event_seq
        )
        INSERT INTO run_events (run_id, seq, kind, text, source)
        SELECT @Id, numbered.event_seq - cardinality(@Texts::text[]) + t.ord, 'log', t.text, t.source
        FROM numbered, unnest(@Texts::text[], @Sources::text[]) WITH ORDINALITY AS t(text, source, ord);
        """;

    /// <summary>A runaway template cannot fill the database: past this many lines the log says so and stops.</summary>
    public const int MaxLines = 200_000;
    public const int MaxLineLength = 4096;

    private readonly List<(string Text, LogSource Source)> buffer = [];
    private int written;
    private readonly SemaphoreSlim gate = new(1, 1);
    private readonly List<string> recent = [];

    /// <summary>The last lines written (redacted), for pulling out an error message.</summary>
    public IReadOnlyList<string> Recent => recent;

    public string Redact(string text) => redactor.Redact(text);

    /// <summary>Forgets the recent lines, so the errors of an attempt that is retried are not taken for the run's error.</summary>
    public void ClearRecent()
    {
        lock (buffer) recent.Clear();
    }

    /// <summary>A line of the engine's own: what it starts, decides or reports.</summary>
    public void Write(string line) => Add(line, LogSource.Engine);

    /// <summary>A line of the output of the Terraform process the engine runs.</summary>
    public void WriteTerraform(string line) => Add(line, LogSource.Terraform);

    private void Add(string line, LogSource source)
    {
        // Redacted before it is cut: a cut through a secret would leave its first characters, which no longer match it.
        var clean = redactor.Redact(line);
        if (clean.Length > MaxLineLength)
            clean = clean[..(char.IsHighSurrogate(clean[MaxLineLength - 1]) ? MaxLineLength - 1 : MaxLineLength)] + " …(line cut)";
        lock (buffer)
        {
            if (++written > MaxLines)
            {
                if (written == MaxLines + 1) buffer.Add(($"…log cut at {MaxLines} lines; the run goes on.", LogSource.Engine));
                return;
            }
            buffer.Add((clean, source));
            recent.Add(clean);
            if (recent.Count > 200) recent.RemoveAt(0);
        }
    }

    public async Task Flush()
    {
        await gate.WaitAsync();
        try
        {
            string[] lines, sources;
            lock (buffer)
            {
                if (buffer.Count == 0) return;
                lines = buffer.Select(l => l.Text).ToArray();
                sources = buffer.Select(l => l.Source == LogSource.Engine ? "engine" : "terraform").ToArray();
                buffer.Clear();
            }
            // Never cancelled: the lines are already out of the buffer, and a run's log must outlive its phase.
            await using var connection = await dataSource.OpenConnectionAsync(CancellationToken.None);
            await connection.ExecuteAsync(new CommandDefinition(Append, new { Id = runId, Texts = lines, Sources = sources }, cancellationToken: CancellationToken.None));
            await RunNotifications.Notify(connection, [(RunChannels.Events, runId.ToString())]);
        }
        finally
        {
            gate.Release();
        }
    }

    /// <summary>Flushes every few hundred milliseconds until disposed, so the log streams while Terraform runs.</summary>
    public async Task Pump(CancellationToken stop)
    {
        while (!stop.IsCancellationRequested)
        {
            try { await Task.Delay(250, stop); } catch (OperationCanceledException) { break; }
            await Flush();
        }
    }

    public async ValueTask DisposeAsync() => await Flush();
}

/// <summary>Who wrote a log line: the engine itself, or the Terraform process it runs.</summary>
public enum LogSource { Engine, Terraform }
