using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;
using Amnify.Harness.Infra;
using Amnify.Harness.Reporting;
using Npgsql;

namespace Amnify.Harness.Bench.Benchmarks;

/// <summary>
/// The plans of what the API really runs, not of a copy of its SQL: the bench's cluster loads PostgreSQL's
/// <c>auto_explain</c> into every session (<see cref="Enable"/>, before any API process starts) with logging off;
/// <see cref="Capture"/> turns it on (ANALYZE, BUFFERS, JSON) with a reload, which every open session takes at its
/// next statement, sends each request a few times, runs a worker for a few claim polls and opens the run's event
/// stream, turns it off again, and reads the plans the API's role logged from the server log.
/// </summary>
public static partial class ApiPlans
{
    /// <summary>auto_explain in every new session, silent until <see cref="Capture"/>; the log line names the role.</summary>
    public static async Task Enable(BenchContext ctx)
    {
        await using var c = new NpgsqlConnection(ctx.Pg.ConnectionString("postgres"));
        await c.OpenAsync();
        foreach (var sql in new[]
                 {
                     "LOAD 'auto_explain'",
                     "ALTER SYSTEM SET session_preload_libraries = 'auto_explain'",
                     "ALTER SYSTEM SET auto_explain.log_min_duration = -1",
                     "ALTER SYSTEM SET auto_explain.log_analyze = on",
                     "ALTER SYSTEM SET auto_explain.log_buffers = on",
                     "ALTER SYSTEM SET auto_explain.log_format = 'json'",
                     $"ALTER SYSTEM SET log_line_prefix = '%m [%p] {UserTag}%u '",
                     "SELECT pg_reload_conf()",
                 })
        {
            await using var command = new NpgsqlCommand(sql, c);
            await command.ExecuteNonQueryAsync();
        }
    }

    private const string UserTag = "user=";

    /// <summary>Every statement the API's role ran for <paramref name="requests"/>, fastest of its runs, tagged with <paramref name="state"/>.</summary>
    public static async Task<List<ExplainedQuery>> Capture(BenchContext ctx, IReadOnlyList<(string Name, LoadOperation Operation)> requests,
        string? eventsPath, string state)
    {
        var windows = new List<(string Name, long From, long To)>();
        await Switch(ctx, on: true);
        try
        {
            using var client = LoadClient.NewClient(ctx.ApiUrl, 1, ctx.Token);
            foreach (var (name, operation) in requests)
            {
                var from = LogLength(ctx);
                for (var i = 0; i < 3; i++) await operation(client, 0, CancellationToken.None);
                await Task.Delay(200); // what the request left to finish on other connections (the token touch)
                windows.Add((name, from, LogLength(ctx)));
            }
            if (eventsPath is not null)
            {
                var from = LogLength(ctx);
                using var open = new CancellationTokenSource(TimeSpan.FromSeconds(3));
                try
                {
                    using var response = await client.GetAsync(eventsPath, HttpCompletionOption.ResponseHeadersRead, open.Token);
                    await response.Content.CopyToAsync(Stream.Null, open.Token);
                }
                catch (OperationCanceledException) { }
                windows.Add(($"GET {eventsPath.Split('/')[3]}/{{id}}/events (SSE)", from, LogLength(ctx)));
            }
            {
                // Polling every second; only what it runs once ready (its start-up checks are not the hot path).
                var worker = await ctx.StartApi($"worker-plans-{state}", role: "worker", BenchContext.WorkerPort,
                    new Dictionary<string, string> { ["Engine__PollSeconds"] = "1" });
                var from = LogLength(ctx);
                await Task.Delay(TimeSpan.FromSeconds(3.5));
                var to = LogLength(ctx);
                await ctx.Stop(worker);
                windows.Add(("worker (--role worker), its claim polls", from, to));
            }
        }
        finally
        {
            await Switch(ctx, on: false);
        }

        var log = await ReadLog(ctx, windows.Count == 0 ? 0 : windows[0].From);
        var offset = windows.Count == 0 ? 0 : windows[0].From;
        var best = new Dictionary<string, ExplainedQuery>();
        var order = new List<string>();
        foreach (Match m in PlanEntry().Matches(log.Text))
        {
            if (m.Groups["user"].Value != Postgres.AppRole) continue;
            var at = offset + log.ByteOffset(m.Index);
            var window = windows.FirstOrDefault(w => at >= w.From && at < w.To);
            if (window.Name is null) continue;
            var json = string.Join('\n', m.Groups["json"].Value.Split('\n').Select(l => l.StartsWith('\t') ? l[1..] : l));
            using var doc = JsonDocument.Parse(json);
            var sql = doc.RootElement.GetProperty("Query Text").GetString() ?? "";
            var ms = double.Parse(m.Groups["ms"].Value, CultureInfo.InvariantCulture);
            if (best.TryGetValue(sql, out var known))
            {
                if (ms < known.ExecutionMs) best[sql] = known with { ExecutionMs = ms, Plan = Render(doc.RootElement.GetProperty("Plan")) };
                continue;
            }
            var plan = doc.RootElement.GetProperty("Plan");
            order.Add(sql);
            best[sql] = new ExplainedQuery($"{window.Name}: {Short(sql)}", state, ms, SeqScans(plan).Distinct().ToArray(), Render(plan))
            {
                Sql = sql,
            };
        }
        if (best.Count == 0) throw new InvalidOperationException($"auto_explain logged no plan of the {Postgres.AppRole} role in {ctx.Pg.ServerLog}.");
        return order.Select(sql => best[sql]).ToList();
    }

    private static async Task Switch(BenchContext ctx, bool on)
    {
        await using var c = new NpgsqlConnection(ctx.Pg.ConnectionString("postgres"));
        await c.OpenAsync();
        foreach (var sql in new[] { $"ALTER SYSTEM SET auto_explain.log_min_duration = {(on ? 0 : -1)}", "SELECT pg_reload_conf()" })
        {
            await using var command = new NpgsqlCommand(sql, c);
            await command.ExecuteNonQueryAsync();
        }
        await Task.Delay(500); // every backend takes the reload before its next statement; give the postmaster time to signal them
    }

    private static long LogLength(BenchContext ctx) => new FileInfo(ctx.Pg.ServerLog).Length;

    private sealed record LogText(string Text)
    {
        /// <summary>The byte offset of a character index (the log is UTF-8; windows are byte lengths of the file).</summary>
        public long ByteOffset(int charIndex) => Encoding.UTF8.GetByteCount(Text.AsSpan(0, charIndex));
    }

    private static async Task<LogText> ReadLog(BenchContext ctx, long from)
    {
        await using var stream = new FileStream(ctx.Pg.ServerLog, FileMode.Open, FileAccess.Read, FileShare.ReadWrite);
        stream.Seek(from, SeekOrigin.Begin);
        using var buffer = new MemoryStream();
        await stream.CopyToAsync(buffer);
        var bytes = buffer.ToArray();
        return new LogText(Encoding.UTF8.GetString(bytes));
    }

    private static string Short(string sql)
    {
        var flat = Whitespace().Replace(sql, " ").Trim();
        return flat.Length <= 70 ? flat : flat[..70] + "…";
    }

    private static IEnumerable<string> SeqScans(JsonElement node)
    {
        if (node.TryGetProperty("Node Type", out var type) && type.GetString() == "Seq Scan" && node.TryGetProperty("Relation Name", out var relation))
            yield return $"Seq Scan on {relation.GetString()}";
        if (node.TryGetProperty("Plans", out var children))
            foreach (var child in children.EnumerateArray())
                foreach (var s in SeqScans(child)) yield return s;
    }

    /// <summary>The JSON plan as an indented tree: node, relation or index, actual rows × loops, time, buffers.</summary>
    private static string Render(JsonElement plan)
    {
        var s = new StringBuilder();
        void Node(JsonElement n, int depth)
        {
            string? P(string name) => n.TryGetProperty(name, out var v) ? v.ToString() : null;
            s.Append(' ', depth * 2).Append(depth == 0 ? "" : "-> ").Append(P("Node Type"));
            if (P("Relation Name") is { } rel) s.Append(" on ").Append(rel);
            if (P("Index Name") is { } index) s.Append(" using ").Append(index);
            s.Append($"  (actual rows={P("Actual Rows")} loops={P("Actual Loops")} time={P("Actual Total Time")} ms");
            s.Append($"; shared hit={P("Shared Hit Blocks")} read={P("Shared Read Blocks")})");
            foreach (var key in new[] { "Index Cond", "Filter", "Hash Cond", "Join Filter", "Sort Key" })
                if (P(key) is { } cond) s.Append($"\n{new string(' ', depth * 2 + 4)}{key}: {cond}");
            s.Append('\n');
            if (n.TryGetProperty("Plans", out var children))
                foreach (var child in children.EnumerateArray()) Node(child, depth + 1);
        }
        Node(plan, 0);
        return s.ToString().TrimEnd();
    }

    [GeneratedRegex(@"\[\d+\] user=(?<user>\S*) LOG:  duration: (?<ms>[0-9.]+) ms  plan:\n(?<json>(?:\t.*\n?)+)")]
    private static partial Regex PlanEntry();

    [GeneratedRegex(@"\s+")]
    private static partial Regex Whitespace();
}
