using System.Text.Json;
using Amnify.Api.Database;
using Amnify.Api.Engine;
using Amnify.Api.Http;
using Dapper;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Amnify.Api.Features.DeploymentRuns;

/// <summary>The log as plain text, and the live event stream (state changes and log lines) over SSE.</summary>
public static class RunEvents
{
    private const int Batch = 1000;

    private const string Exists = "SELECT status FROM deployment_runs WHERE id = @Id";

    private const string After = """
        SELECT seq, kind, text FROM run_events
        WHERE run_id = @Id AND seq > @After AND (@Kind::text IS NULL OR kind = @Kind)
        ORDER BY seq LIMIT @Take
        """;

    private const string PlanText = "SELECT plan_text FROM deployment_runs WHERE id = @Id";

    private sealed record Event
    {
        public required int Seq { get; init; }
        public required string Kind { get; init; }
        public required string Text { get; init; }
    }

    /// <summary>GET …/log?offset=N: the log lines after event N; <c>X-Log-Offset</c> says where to continue.</summary>
    public static async Task<IResult> Log(Guid id, Db db, HttpContext context, CancellationToken ct, int offset = 0)
    {
        if (offset < 0) return Results.ValidationProblem(new Dictionary<string, string[]> { ["offset"] = ["Must be 0 or more."] });
        var (status, events) = await db.Read(async c => (
            await c.QuerySingleOrDefaultAsync<string>(Exists, new { Id = id }),
            (await c.QueryAsync<Event>(After, new { Id = id, After = offset, Kind = "log", Take = 10 * Batch })).AsList()), ct);
        if (status is null) return NotFound(id);
        context.Response.Headers["X-Log-Offset"] = (events.Count > 0 ? events[^1].Seq : offset).ToString();
        return Results.Text(string.Concat(events.Select(e => e.Text + "\n")), "text/plain; charset=utf-8");
    }

    /// <summary>GET …/plan: the readable plan (sensitive values masked), once the run has planned.</summary>
    public static async Task<IResult> Plan(Guid id, Db db, CancellationToken ct)
    {
        var found = await db.Read(async c => await c.QuerySingleOrDefaultAsync<string>(Exists, new { Id = id }) is not null
            ? (true, await c.QuerySingleOrDefaultAsync<string?>(PlanText, new { Id = id }))
            : (false, null), ct);
        if (!found.Item1) return NotFound(id);
        return found.Item2 is null
            ? Results.Problem(statusCode: StatusCodes.Status409Conflict, title: "No plan yet", detail: "The run has not planned yet.")
            : Results.Text(found.Item2, "text/plain; charset=utf-8");
    }

    /// <summary>
    /// GET …/events: every event after <c>Last-Event-ID</c>, then each new one as it happens, until the run is
    /// final. Plain polling of the run works too; this saves clients the wait.
    /// </summary>
    public static async Task Stream(Guid id, Db db, RunEventHub hub, StreamLimits limits, HttpContext context, CancellationToken ct)
    {
        var status = await db.Read(c => c.QuerySingleOrDefaultAsync<string>(Exists, new { Id = id }), ct);
        if (status is null)
        {
            await NotFound(id).ExecuteAsync(context);
            return;
        }
        using var slot = limits.TryOpen(Auth.Actor.From(context).Name);
        if (slot is null)
        {
            await StreamLimits.TooMany().ExecuteAsync(context);
            return;
        }
        var last = int.TryParse(context.Request.Headers["Last-Event-ID"], out var resumed) && resumed >= 0 ? resumed : 0;
        context.Response.ContentType = "text/event-stream";
        context.Response.Headers.CacheControl = "no-cache";
        context.Response.Headers["X-Accel-Buffering"] = "no";
        await context.Response.Body.FlushAsync(ct);

        try
        {
            while (!ct.IsCancellationRequested)
            {
                var wake = hub.WaitForEvent(id, TimeSpan.FromSeconds(15), ct);
                var (current, events) = await db.Read(async c => (
                    await c.QuerySingleAsync<string>(Exists, new { Id = id }),
                    (await c.QueryAsync<Event>(After, new { Id = id, After = last, Kind = (string?)null, Take = Batch })).AsList()), ct);
                foreach (var e in events)
                {
                    var data = e.Kind == "status" ? JsonSerializer.Serialize(new { status = e.Text }) : JsonSerializer.Serialize(new { line = e.Text });
                    await context.Response.WriteAsync($"id: {e.Seq}\nevent: {e.Kind}\ndata: {data}\n\n", ct);
                    last = e.Seq;
                }
                if (events.Count == Batch) continue;
                if (Enum.Parse<RunStatus>(current, ignoreCase: true).IsTerminal())
                {
                    await context.Response.WriteAsync("event: end\ndata: {}\n\n", ct);
                    return;
                }
                await context.Response.WriteAsync(events.Count == 0 ? ": keep-alive\n\n" : "", ct);
                await context.Response.Body.FlushAsync(ct);
                await wake;
            }
        }
        catch (OperationCanceledException)
        {
            // The client went away.
        }
    }

    private static ProblemHttpResult NotFound(Guid id) =>
        TypedResults.Problem(statusCode: StatusCodes.Status404NotFound, title: "Not found", detail: $"Deployment run {id} does not exist.");
}
